package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.planfile.BundledPlans;
import io.servesim.experiments.planfile.DerivedRule;
import io.servesim.experiments.planfile.LoadSpec;
import io.servesim.experiments.planfile.OverrideRule;
import io.servesim.experiments.planfile.PlanFile;
import io.servesim.experiments.scenario.ConfigOverrides;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.StepTimeModelProvenance;
import io.servesim.workloads.WorkloadSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

        /** The position of the chosen step in the plan. */
        int index() {
            return step1 ? 0 : step2 ? 1 : 2;
        }
    }

    @Option(names = "--plan", paramLabel = "NAME|FILE", description = "The plan to run: a bundled plan (servesim plan"
            + " list) or a plan file (default: stress; stress-legacy is the seed plan's literal settings).")
    String planName = DEFAULT_PLAN;

    /** The bundled plan {@code servesim stress} runs. */
    static final String DEFAULT_PLAN = "stress";
    /** The ladders {@code --max-requests} (those of them a plan has) and {@code --max-gpus} cap. */
    static final List<String> REQUEST_LADDERS = List.of("requests", "kbins_requests");
    static final String GPUS_LADDER = "gpus";
    /** The workload preset the bundled plans' load scale is tuned for (its 1 req/s). */
    static final String STRESS_PRESET = "stress";

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
        PlanFile plan = BundledPlans.resolve(planName);
        ObjectNode base = plan.base().deepCopy();
        JsonNode configRouter = null;
        if (options.config != null) {
            ObjectNode config = PlanOptions.scenarioSections(options.config);
            configRouter = config.remove("router");
            config.fields().forEachRemaining(e -> base.set(e.getKey(), e.getValue()));
        }
        ConfigOverrides.apply(base, options.overrides);
        if (workload != null) {
            base.put("workload", workload);
        }
        plan = plan.withBase(base);
        // a router given by --config or --router routes the multi-bin cells (bin_affinity needs bins)
        JsonNode multiBinRouter = router != null ? ConfigMapper.json().valueToTree(PlanOptions.router(router)) : configRouter;
        if (multiBinRouter != null) {
            plan = plan.withRule(new OverrideRule(Map.of("scheduler.type", TextNode.valueOf("multi_bin")),
                    Map.of("router", multiBinRouter)));
        }
        WorkloadSpec workloadSpec = Scenario.fromTree(base.deepCopy()).workload();
        boolean scaleGiven = rpsScale != null;
        if (rpsScale != null) {
            plan = plan.withLoad(LoadSpec.scale(rpsScale));
        } else if (!STRESS_PRESET.equals(workloadSpec.name())) {
            // the plan's scale is tuned for the stress preset's 1 req/s; any other workload arrives at its own rate
            plan = plan.withLoad(LoadSpec.scale(workloadSpec.rpsScale()));
        }
        if (maxRequests != null) {
            for (String ladder : REQUEST_LADDERS) {
                if (plan.ladders().containsKey(ladder)) {
                    plan = plan.withCap(ladder, maxRequests);
                }
            }
        }
        if (maxGpus != null) {
            plan = plan.withCap(GPUS_LADDER, maxGpus);
        }
        if (bestGpuCount != null) {
            List<JsonNode> ladder = plan.ladders().getOrDefault(GPUS_LADDER, List.of());
            int largest = ladder.stream().mapToInt(JsonNode::asInt).max().orElse(Integer.MAX_VALUE);
            if (bestGpuCount > largest) {
                throw new UserInputException("--best-gpu-count must be at most the largest GPU count of step 2 ("
                        + largest + "), got " + bestGpuCount);
            }
            plan = plan.withDerived(DerivedRule.BEST_GPU_COUNT, IntNode.valueOf(bestGpuCount));
        }
        if (options.seed != null) {
            plan = plan.withSeed(options.seed);
        }
        if (options.replications != null) {
            plan = plan.withReplications(options.replications);
        }
        plan = plan.withCapacity(capacitySpec(plan.capacity()));
        Set<String> steps = only == null ? Set.of() : Set.of(plan.steps().get(only.index()).name());
        double scale = plan.load() != null && plan.load().kind() == LoadSpec.Kind.SCALE && plan.load().values().size() == 1
                ? plan.load().values().get(0) : workloadSpec.rpsScale();
        OfferedLoad load = OfferedLoad.of(workloadSpec, scale, scaleGiven);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("offered_load", load);
        settings.put("step_time_model", StepTimeModelProvenance.of(Scenario.fromTree(base.deepCopy()).deployment()));
        String header = "ServeSim stress plan: " + load.describe();
        return PlanLaunch.run(spec, plan, steps, options, figures, "ServeSim stress plan", header, settings);
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
