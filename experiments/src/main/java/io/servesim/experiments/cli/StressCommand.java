package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.ScenarioTemplate;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.experiments.stress.StressPlan;
import io.servesim.experiments.stress.StressPlanRun;
import io.servesim.experiments.stress.StressPlanSpec;
import io.servesim.experiments.stress.StressStep;
import io.servesim.workloads.WorkloadSpecs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code servesim stress}: the 3-step stress plan — request scaling, GPU scaling, K-bins sensitivity — with
 * its defaults at full scale, or a part of it. See docs/stress-plan.md.
 */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the 3-step stress plan: (1) request scaling 1K-1M x 5 configurations, (2) GPU scaling"
                + " 1-100 GPUs, (3) K-bins sensitivity at the best GPU count. See docs/stress-plan.md."})
public final class StressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    StepChoice only;

    @Option(names = "--best-gpu-count", paramLabel = "N", description = "GPU count of step 3 (default: detected from step 2).")
    Integer bestGpuCount;

    @Option(names = "--max-requests", paramLabel = "N", description = "Request ladder: counts below N, then N; steps 2-3 run at N.")
    Long maxRequests;

    @Option(names = "--max-gpus", paramLabel = "N", description = "GPU ladder of step 2: counts below N, then N.")
    Integer maxGpus;

    @Option(names = "--rps-scale", paramLabel = "X", description = "Multiplies every arrival rate (default 200: 200 req/s with the stress preset).")
    Double rpsScale;

    @Option(names = "--workload", paramLabel = "PRESET|FILE", description = "Workload preset or file (default: stress).")
    String workload;

    @Option(names = "--router", paramLabel = "TYPE", description = "Router of multi-bin cells: least_loaded (default) or another router type, e.g. bin_affinity.")
    String router;

    @Mixin
    PlanOptions options;

    /** At most one of the step-only flags. */
    static final class StepChoice {
        @Option(names = "--step1-only", required = true, description = "Run only step 1 (request scaling).")
        boolean step1;

        @Option(names = "--step2-only", required = true, description = "Run only step 2 (GPU scaling).")
        boolean step2;

        @Option(names = "--step3-only", required = true, description = "Run only step 3 (K-bins sensitivity).")
        boolean step3;

        Set<StressStep> steps() {
            return step1 ? EnumSet.of(StressStep.REQUEST_SCALING)
                    : step2 ? EnumSet.of(StressStep.GPU_SCALING) : EnumSet.of(StressStep.KBINS_SENSITIVITY);
        }
    }

    @Override
    public Integer call() {
        options.check();
        if (maxRequests != null && maxRequests < 1) {
            throw new UserInputException("--max-requests must be >= 1, got " + maxRequests);
        }
        if (maxGpus != null && maxGpus < 1) {
            throw new UserInputException("--max-gpus must be >= 1, got " + maxGpus);
        }
        if (bestGpuCount != null && bestGpuCount < 1) {
            throw new UserInputException("--best-gpu-count must be >= 1, got " + bestGpuCount);
        }
        if (rpsScale != null && !(rpsScale > 0 && Double.isFinite(rpsScale))) {
            throw new UserInputException("--rps-scale must be > 0, got " + rpsScale);
        }
        ScenarioTemplate template = ScenarioTemplate.load(Optional.ofNullable(options.config), "stress");
        Scenario scenario = template.scenario();
        if (workload != null) {
            scenario = scenario.withWorkload(WorkloadSpecs.resolve(workload));
        }
        boolean routerGiven = template.routerGiven();
        if (router != null) {
            scenario = scenario.withScheduling(new SchedulerChoice(scenario.scheduling().scheduler(), PlanOptions.router(router)));
            routerGiven = true;
        }
        StressPlanSpec planSpec = template.planSection(StressPlanSpec.class, StressPlanSpec.defaults())
                .with(rpsScale, options.replications, options.seed, maxRequests, maxGpus, bestGpuCount);
        Set<StressStep> steps = only == null ? EnumSet.allOf(StressStep.class) : only.steps();
        StressPlan plan = new StressPlan(planSpec, scenario, routerGiven);

        Path dir = options.folder("stress");
        PlanFolder folder = new PlanFolder(dir);
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> settings = new LinkedHashMap<>(options.settings());
        settings.put("scenario", scenario);
        PlanProgress progress = new PlanProgress(err, PlanProgress.mode(options.quiet));
        StressPlanRun run = new StressPlanRun(plan, steps, folder,
                options.runner(StressPlanRun.EXPERIMENT, folder, progress), settings);
        progress.setTotal(run.cellCount());
        long start = System.nanoTime();
        StressPlanRun.Outcome outcome = run.execute();
        double seconds = (System.nanoTime() - start) / 1e9;

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "ServeSim stress plan: %d cells (%d simulated, %d from earlier records) in %.1f s%n",
                outcome.cells().size(), outcome.simulatedCells(), outcome.cells().size() - outcome.simulatedCells(), seconds);
        if (outcome.bestGpuCount() != null) {
            out.println("  step 3 at " + outcome.bestGpuCount() + " GPUs, " + outcome.bestGpuSource());
        }
        outcome.files().forEach(f -> out.println("  wrote " + f));
        if (!options.noAnalysis) {
            AnalysisResult analysis = new Analyzer().analyze(dir);
            out.println("  analysis " + dir.resolve(Analyzer.STRESS_ANALYSIS_JSON) + ", " + dir.resolve(Analyzer.REPORT_HTML)
                    + " (" + analysis.figures().size() + " figures)");
        }
        return 0;
    }
}
