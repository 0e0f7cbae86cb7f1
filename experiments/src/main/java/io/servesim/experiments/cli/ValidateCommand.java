package io.servesim.experiments.cli;

import io.servesim.core.model.StepTimeProfile;
import io.servesim.core.model.StepTimeProfileCsv;
import io.servesim.experiments.validation.ValidationCheck;
import io.servesim.experiments.validation.ValidationReport;
import io.servesim.experiments.validation.ValidationSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code servesim validate}: the simulator against queueing theory, batching theory and measured step times.
 * Prints predicted vs simulated with the relative error, writes {@code validation.csv}; exit 0 when every check
 * passes, 1 when one fails (a finding, not a user mistake).
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

    @Override
    public Integer call() {
        double tolerance = physicsTolerance == null ? ValidationSuite.DEFAULT_PHYSICS_TOLERANCE : physicsTolerance;
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new UserInputException("--physics-tolerance must be a finite number >= 0, got " + tolerance);
        }
        List<StepTimeProfile> profiles = profile == null ? List.of() : StepTimeProfileCsv.read(profile);
        List<ValidationCheck> checks = new ValidationSuite(quick, profiles, tolerance).run();
        Path dir = out != null ? out : ResultFolders.timestamped("validate");
        ValidationReport.writeCsv(dir.resolve(ValidationReport.FILE_NAME), checks);
        var w = spec.commandLine().getOut();
        ValidationReport.print(w, checks);
        w.println("  wrote " + dir.resolve(ValidationReport.FILE_NAME));
        return checks.stream().allMatch(ValidationCheck::pass) ? 0 : CHECK_FAILED;
    }
}
