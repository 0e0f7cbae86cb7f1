package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.ScenarioTemplate;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.StepTimeModelProvenance;
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
 * its defaults at full scale, or a part of it, optionally with the capacity under SLA of every configuration
 * ({@code --capacity}). See docs/stress-plan.md.
 */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the 3-step stress plan: (1) request scaling 1K-1M x 5 configurations, (2) GPU scaling"
                + " 1-100 GPUs, (3) K-bins sensitivity at the best GPU count. See docs/stress-plan.md."})
public final class StressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FigureFlags figures;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    StepChoice only;

    @Option(names = "--best-gpu-count", paramLabel = "N", description = "GPU count of step 3 (default: detected from step 2).")
    Integer bestGpuCount;

    @Option(names = "--max-requests", paramLabel = "N", description = "Request ladder: counts below N, then N; steps 2-3 run at N.")
    Long maxRequests;

    @Option(names = "--max-gpus", paramLabel = "N", description = "GPU ladder of step 2: counts below N, then N.")
    Integer maxGpus;

    @Option(names = "--rps-scale", paramLabel = "X", description = "Multiplies every arrival rate of the workload (default: 200 with"
            + " the stress preset, whose 1 req/s becomes 200 req/s; 1 with any other workload, which then arrives at its own rate).")
    Double rpsScale;

    @Option(names = "--workload", paramLabel = "PRESET|FILE", description = "Workload preset or file (default: stress).")
    String workload;

    @Option(names = "--router", paramLabel = "TYPE", description = "Router of multi-bin cells: least_loaded (default) or another router type, e.g. bin_affinity.")
    String router;

    @Option(names = "--capacity", description = "Add capacity_rps_under_sla and capacity_rps_per_gpu to every row: one"
            + " capacity search per distinct configuration, shared by its cells (docs/stress-plan.md).")
    boolean capacity;

    @Option(names = "--capacity-target", paramLabel = "F", description = "With --capacity: goodput fraction a rate must reach (default 0.9).")
    Double capacityTarget;

    @Option(names = "--capacity-tolerance", paramLabel = "F", description = "With --capacity: relative width of the final bracket (default 0.05).")
    Double capacityTolerance;

    @Option(names = "--capacity-requests", paramLabel = "N", description = "With --capacity: requests per probe, instead of"
            + " --capacity-probe-seconds.")
    Long capacityRequests;

    @Option(names = "--capacity-probe-seconds", paramLabel = "S", description = "With --capacity: seconds of arrivals per"
            + " probe, whatever its rate (default 120).")
    Double capacityProbeSeconds;

    @Option(names = "--capacity-max-probes", paramLabel = "N", description = "With --capacity: most simulations per search (default 30).")
    Integer capacityMaxProbes;

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
        figures.options();
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
        ScenarioTemplate template = ScenarioTemplate.load(Optional.ofNullable(options.config), options.overrides, "stress");
        Scenario scenario = template.scenario();
        if (workload != null) {
            scenario = scenario.withWorkload(WorkloadSpecs.resolve(workload));
        }
        boolean routerGiven = template.routerGiven();
        if (router != null) {
            scenario = scenario.withScheduling(new SchedulerChoice(scenario.scheduling().scheduler(), PlanOptions.router(router)));
            routerGiven = true;
        }
        boolean scaleGiven = rpsScale != null || template.planSection().map(p -> p.has("rps_scale")).orElse(false);
        Double scale = scaleGiven ? rpsScale : Double.valueOf(StressPlan.defaultRpsScale(scenario.workload()));
        StressPlanSpec planSpec = template.planSection(StressPlanSpec.class, StressPlanSpec.defaults())
                .with(scale, options.replications, options.seed, maxRequests, maxGpus, bestGpuCount);
        planSpec = planSpec.withCapacity(capacitySpec(planSpec.capacity()));
        Set<StressStep> steps = only == null ? EnumSet.allOf(StressStep.class) : only.steps();
        StressPlan plan = new StressPlan(planSpec, scenario, routerGiven);

        Path dir = options.folder("stress");
        PlanFolder folder = new PlanFolder(dir);
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> settings = new LinkedHashMap<>(options.settings(spec.commandLine().getParseResult().originalArgs()));
        OfferedLoad load = OfferedLoad.of(scenario.workload(), planSpec.rpsScale(), scaleGiven);
        settings.put("offered_load", load);
        settings.put("step_time_model", StepTimeModelProvenance.of(scenario.deployment()));
        settings.put("scenario", scenario);
        PlanProgress progress = new PlanProgress(err, PlanProgress.mode(options.quiet));
        StressPlanRun run = new StressPlanRun(plan, steps, folder,
                options.runner(StressPlanRun.EXPERIMENT, folder, progress), settings);
        progress.setTotal(run.cellCount());
        PrintWriter out = spec.commandLine().getOut();
        out.println("ServeSim stress plan: " + load.describe());
        out.flush();
        long start = System.nanoTime();
        StressPlanRun.Outcome outcome = run.execute();
        double seconds = (System.nanoTime() - start) / 1e9;

        out.printf(Locale.ROOT, "ServeSim stress plan: %d cells (%d simulated, %d from earlier records) in %.1f s%n",
                outcome.cells().size(), outcome.simulatedCells(), outcome.cells().size() - outcome.simulatedCells(), seconds);
        if (outcome.bestGpuCount() != null) {
            out.println("  step 3 at " + outcome.bestGpuCount() + " GPUs, " + outcome.bestGpuSource());
        }
        if (planSpec.capacity() != null) {
            out.printf(Locale.ROOT, "  capacity under SLA: %d searches (%d simulated, %d from earlier records), one per"
                    + " configuration, probes of %s%n", outcome.capacitySearches(), outcome.simulatedSearches(),
                    outcome.capacitySearches() - outcome.simulatedSearches(), planSpec.capacity().probeLength());
        }
        outcome.files().forEach(f -> out.println("  wrote " + f));
        if (!options.noAnalysis) {
            AnalysisResult analysis = figures.analyzer().analyze(dir);
            out.println("  analysis " + dir.resolve(Analyzer.STRESS_ANALYSIS_JSON) + ", " + dir.resolve(Analyzer.REPORT_HTML)
                    + " (" + analysis.figures().size() + " figures)");
        }
        folder.markComplete();
        return 0;
    }

    /**
     * The capacity searches: {@code --capacity} (or the config's {@code plan.capacity}) turns them on, the
     * {@code --capacity-*} flags override its values; null when off. A {@code --capacity-*} flag without either is
     * a mistake.
     */
    private CapacitySpec capacitySpec(CapacitySpec fromConfig) {
        boolean valuesGiven = capacityTarget != null || capacityTolerance != null || capacityRequests != null
                || capacityProbeSeconds != null || capacityMaxProbes != null;
        if (!capacity && fromConfig == null) {
            if (valuesGiven) {
                throw new UserInputException("--capacity-target, --capacity-tolerance, --capacity-requests,"
                        + " --capacity-probe-seconds and --capacity-max-probes need --capacity");
            }
            return null;
        }
        return (fromConfig != null ? fromConfig : CapacitySpec.defaults())
                .with(capacityTarget, capacityTolerance, capacityRequests, capacityProbeSeconds, capacityMaxProbes);
    }
}
