package io.servesim.experiments.cli;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.StepTimeProfile;
import io.servesim.core.model.StepTimeProfileCsv;
import io.servesim.experiments.calibration.CalibrationSplit;
import io.servesim.experiments.validation.ValidationCheck;
import io.servesim.experiments.validation.ValidationReport;
import io.servesim.experiments.validation.ValidationSuite;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.validation.replay.FrontEnds;
import io.servesim.experiments.validation.replay.ReplayPlanner.ClientStart;
import io.servesim.experiments.validation.replay.ReplayValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import io.servesim.experiments.output.OutputFolder;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code servesim validate}: the simulator against queueing theory, batching theory and measured step times.
 * Prints predicted vs simulated with the relative error, writes {@code validation.csv}; exit 0 when every check
 * passes, 1 when one fails (a finding, not a user mistake). With {@code --against FILE} it replays measured
 * end-to-end benchmark rows instead ({@link ReplayValidation}) and exits 0 whatever the errors.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the simulator against queueing theory, batching theory and measured step times.")
public final class ValidateCommand implements Callable<Integer> {
    /** Exit status when a check fails. */
    public static final int CHECK_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/validate-<timestamp>).")
    Path out;

    @Option(names = "--quick", description = "Smaller runs (for continuous integration).")
    boolean quick;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Your measured step times (CSV, see docs/validation.md); default: the bundled held-out measurements (docs/calibration.md).")
    Path profile;

    @Option(names = "--physics-tolerance", paramLabel = "X",
            description = "Largest relative error of the step-time model against measurements that passes (default 0.25).")
    Double physicsTolerance;

    @Option(names = "--against", paramLabel = "FILE",
            description = "Replay measured benchmark rows (AIConfigurator's silicon_sample.csv, or ServeSim's open-loop"
                    + " format; docs/validation.md) and report each row's error and the MAPE per metric.")
    Path against;

    @Option(names = "--backend", paramLabel = "NAME", description = "With --against: only rows of this backend (vllm, sglang, trtllm).")
    String backend;

    @Option(names = "--model", paramLabel = "NAME", description = "With --against: only rows of this model (the file's or the catalog's name).")
    String model;

    @Option(names = "--system", paramLabel = "NAME", description = "With --against: only rows of this GPU (the file's or the catalog's name).")
    String system;

    @Option(names = "--catalog", paramLabel = "FILE", description = "With --against: a catalog overlay (e.g. written by calibrate).")
    Path catalog;

    @Option(names = "--seed", paramLabel = "N", description = "With --against: root seed of the runs (default 42).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "With --against: simulations at once (default: all cores).")
    Integer threads;

    @Option(names = "--client-start", paramLabel = "HOW", description = "With --against: how a closed-loop row is"
            + " replayed. benchmark (default): as a benchmark of 10 rounds runs, a cold first round with every client"
            + " at t = 0, then rounds in the desynchronised steady state; staggered: the steady state alone (clients"
            + " spread over one estimated request cycle); together: every client at t = 0 and, with identical"
            + " requests, in lockstep for ever.")
    String clientStart;

    @Option(names = "--front-ends", paramLabel = "WHICH", description = "With --against: the front-end time of each"
            + " campaign (backend, version and source collection) of a closed-loop file, added to its aggregated"
            + " rows. bundled (default): the silicon sample's, fitted on each campaign's TP 4 rows (reported apart as"
            + " fit rows); none; or a FILE written by --fit-front-ends.")
    String frontEnds;

    @Option(names = "--fit-front-ends", paramLabel = "FILE", description = "With --against: replay without front ends,"
            + " fit each campaign's front-end time on its aggregated TP 4 rows (at least 5; least squares on the"
            + " relative TTFT error) and write them to FILE (JSON, the form --front-ends reads).")
    Path fitFrontEnds;

    @Option(names = "--force", description = "Write into --out even if it is not empty (files of the same name are replaced).")
    boolean force;

    @Override
    public Integer call() {
        Path dir = out != null ? out : ResultFolders.timestamped("validate");
        OutputFolder.requireNew("--out", dir, force, "");
        if (against != null) {
            return replay(dir);
        }
        for (Object againstOnly : new Object[] {backend, model, system, catalog, seed, threads, clientStart, frontEnds,
                fitFrontEnds}) {
            if (againstOnly != null) {
                throw new UserInputException("--backend, --model, --system, --catalog, --seed, --threads,"
                        + " --client-start, --front-ends and --fit-front-ends go with --against");
            }
        }
        double tolerance = physicsTolerance == null ? ValidationSuite.DEFAULT_PHYSICS_TOLERANCE : physicsTolerance;
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new UserInputException("--physics-tolerance must be a finite number >= 0, got " + tolerance);
        }
        List<StepTimeProfile> profiles = profile == null ? List.of() : StepTimeProfileCsv.read(profile);
        List<ValidationCheck> checks = new ValidationSuite(quick, profiles, tolerance).run();
        ValidationReport.writeCsv(dir.resolve(ValidationReport.FILE_NAME), checks);
        var w = spec.commandLine().getOut();
        ValidationReport.print(w, checks);
        w.println("  wrote " + dir.resolve(ValidationReport.FILE_NAME));
        return checks.stream().allMatch(ValidationCheck::pass) ? 0 : CHECK_FAILED;
    }

    private int replay(Path dir) {
        if (quick || profile != null || physicsTolerance != null) {
            throw new UserInputException("--against replays measured rows; --quick, --profile and --physics-tolerance"
                    + " belong to the suite without it");
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new UserInputException("--threads must be >= 1, got " + workers);
        }
        ClientStart start = switch (clientStart == null ? "benchmark" : clientStart.toLowerCase(Locale.ROOT)) {
            case "benchmark" -> ClientStart.BENCHMARK;
            case "staggered" -> ClientStart.STAGGERED;
            case "together" -> ClientStart.TOGETHER;
            default -> throw new UserInputException("--client-start must be benchmark, staggered or together, got "
                    + clientStart);
        };
        if (fitFrontEnds != null && frontEnds != null) {
            throw new UserInputException("--fit-front-ends replays without front ends; leave out --front-ends");
        }
        if (fitFrontEnds != null && Files.exists(fitFrontEnds)) {
            throw new UserInputException("--fit-front-ends " + fitFrontEnds + " exists; name a new file");
        }
        FrontEnds using = fitFrontEnds != null ? FrontEnds.NONE : frontEnds(frontEnds);
        var console = spec.commandLine().getOut();
        ReplayValidation.Outcome outcome = new ReplayValidation(against, backend, model, system, catalog,
                seed != null ? seed : 42L, start, workers, using,
                CalibrationSplit.fittedEngineRows(Catalog.load(Optional.ofNullable(catalog))))
                .run(dir, console);
        if (fitFrontEnds != null) {
            FrontEnds fitted = FrontEnds.fit(outcome.report().results(), "validate --against " + against.getFileName()
                    + " --fit-front-ends: per campaign (backend, version and source collection) with at least "
                    + FrontEnds.MIN_FIT_ROWS + " aggregated closed-loop TP " + FrontEnds.FIT_TP + " rows, least squares"
                    + " on their relative TTFT error, replayed without front ends (--client-start "
                    + start.name().toLowerCase(Locale.ROOT) + ")");
            AtomicFiles.write(fitFrontEnds,
                    o -> ConfigMapper.json().writerWithDefaultPrettyPrinter().writeValue(o, fitted));
            for (FrontEnds.Campaign c : fitted.campaigns()) {
                console.printf(Locale.ROOT, "  front end  %-8s %-18s %7.1f ms  (%d rows of %s)%n", c.backend(),
                        c.backendVersion().isEmpty() ? "(no version)" : c.backendVersion(), c.frontEndMs(), c.fitRows(),
                        c.source().isEmpty() ? "no recorded source" : c.source());
            }
            console.println("  wrote      " + fitFrontEnds);
        }
        return 0;
    }

    /** The front ends {@code --front-ends} names: bundled (also when absent), none, or a file. */
    private static FrontEnds frontEnds(String which) {
        if (which == null || which.equalsIgnoreCase("bundled")) {
            return FrontEnds.bundled();
        }
        return which.equalsIgnoreCase("none") ? FrontEnds.NONE : FrontEnds.read(Path.of(which));
    }
}
