package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.ScenarioTemplate;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.StepTimeModelProvenance;
import io.servesim.experiments.study.Studies;
import io.servesim.experiments.study.Study;
import io.servesim.experiments.study.StudyDesign;
import io.servesim.experiments.study.StudySettings;
import io.servesim.workloads.WorkloadSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code servesim study NAME}: a named study on the plan runner; writes {@code <name>_results.csv},
 * {@code <name>_timings.csv}, {@code config.json} and the analysis, and prints the study's comparison table.
 */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a named study (heavy, schedulers, ...) and print its comparison table.")
public final class StudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FigureFlags figures;

    @Parameters(index = "0", paramLabel = "NAME", description = "The study: ${COMPLETION-CANDIDATES}.",
            completionCandidates = StudyNames.class)
    String name;

    @Option(names = "--workload", paramLabel = "PRESET|FILE", description = "Workload preset or file (default: the study's).")
    String workload;

    @Option(names = "--rps-scale", paramLabel = "X", description = "Multiplies every arrival rate (default: the workload's).")
    Double rpsScale;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per run (default: the workload's).")
    Long requests;

    @Option(names = "--model", paramLabel = "NAME", description = "Catalog model (default: the study's or the config's).")
    String model;

    @Mixin
    PlanOptions options;

    /** The registered study names, for the help text. */
    static final class StudyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Studies.names().iterator();
        }
    }

    @Override
    public Integer call() {
        Study study = Studies.byName(name);
        options.check();
        figures.options();
        if (requests != null && requests < 1) {
            throw new UserInputException("--requests must be >= 1, got " + requests);
        }
        if (rpsScale != null && !(rpsScale > 0 && Double.isFinite(rpsScale))) {
            throw new UserInputException("--rps-scale must be > 0, got " + rpsScale);
        }
        ScenarioTemplate template = ScenarioTemplate.load(Optional.ofNullable(options.config), options.overrides, study.defaultWorkload());
        if (template.planSection().isPresent()) {
            throw new UserInputException("a plan: section is for servesim stress; studies take their axes from flags");
        }
        Scenario scenario = template.scenario();
        if (workload != null) {
            scenario = scenario.withWorkload(WorkloadSpecs.resolve(workload));
        }
        StudySettings settings = new StudySettings(scenario, options.seed != null ? options.seed : scenario.seed(),
                options.replications, rpsScale, requests, model);
        StudyDesign design = study.design(settings);

        Path dir = options.folder(study.name());
        PlanFolder folder = new PlanFolder(dir);
        PlanProgress progress = new PlanProgress(spec.commandLine().getErr(), PlanProgress.mode(options.quiet));
        PlanRunner runner = options.runner(study.name(), folder, progress);
        runner.validate(design.cells());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", study.name());
        config.put("settings", settings);
        config.put("step_time_model", StepTimeModelProvenance.of(settings.template().deployment()));
        config.put("not_run", design.notes());
        CapacitySearches capacity = study.capacity(settings);
        if (capacity != null) {
            config.put("capacity", capacity.spec());
        }
        config.put("cells", design.cells().stream().map(c -> c.id()).toList());
        config.putAll(options.settings(spec.commandLine().getParseResult().originalArgs()));
        folder.writeConfig(config);

        PrintWriter out = spec.commandLine().getOut();
        if (design.cells().isEmpty()) {
            out.println("ServeSim study " + study.name() + ": no configuration can run");
            design.notes().forEach(note -> out.println("  " + note));
            return 0;
        }
        folder.markIncomplete("This folder is not finished: the study writing it was interrupted, failed or is still"
                + " running. Resume it with: servesim study " + study.name() + " --resume " + dir);
        long start = System.nanoTime();
        List<FinishedCell> cells = runner.run(design.cells(), capacity);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runner.shard().partial()) {
            return PlanLaunch.shardFinished(spec.commandLine().getOut(), folder, runner.shard(), cells, seconds);
        }
        String resultsFile = study.name() + "_results.csv";
        folder.writeResults(resultsFile, cells);
        folder.writeTimings(study.name() + "_timings.csv", cells.stream().map(FinishedCell::row).toList());
        List<Path> tables = study.writeTables(folder, cells);

        long simulated = cells.stream().filter(c -> !c.fromRecord()).count();
        out.printf(Locale.ROOT, "ServeSim study %s: %d cells (%d simulated) in %.1f s%n", study.name(), cells.size(),
                simulated, seconds);
        study.printSummary(out, design, cells);
        out.println("  wrote " + dir.resolve(resultsFile));
        tables.forEach(table -> out.println("  wrote " + table));
        if (!options.noAnalysis) {
            AnalysisResult analysis = figures.analyzer().analyze(dir);
            out.println("  analysis " + dir.resolve(Analyzer.FINDINGS_MD) + ", " + dir.resolve(Analyzer.REPORT_HTML)
                    + " (" + analysis.figures().size() + " figures)");
        }
        folder.markComplete();
        return 0;
    }
}
