package io.servesim.experiments.stress;

import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells of the 3-step stress plan, expanded from the axes of a {@link StressPlanSpec} over a template
 * scenario. Every cell serves the template's model on data-parallel replicas of tp · pp GPUs (one GPU each by
 * default) with the template's engine and metrics, the template's workload limited to the cell's request
 * count and scaled by the plan's rps scale.
 *
 * <p>Schedulers come from the template when it states one of the same type (its parameters are kept), else
 * with their defaults; multi-bin cells get the plan's K. Multi-bin cells use the template's router when it
 * states one, else {@code least_loaded}; other cells use {@code least_loaded} ({@code bin_affinity} needs bins).
 */
public final class StressPlan {
    private final StressPlanSpec spec;
    private final Scenario template;
    private final RouterSpec multiBinRouter;

    public StressPlan(StressPlanSpec spec, Scenario template, boolean routerGiven) {
        this.spec = spec;
        this.template = template;
        this.multiBinRouter = routerGiven ? template.scheduling().router() : new RouterSpec.LeastLoaded();
        int gpusPerReplica = template.deployment().tp() * template.deployment().pp();
        for (int gpus : allGpuCounts()) {
            ConfigException.require(gpus % gpusPerReplica == 0, "plan.gpus",
                    "must be multiples of tp · pp = " + gpusPerReplica + " (each replica uses tp · pp GPUs)", gpus);
        }
    }

    /** The scale of the {@code stress} preset when none is given: its 1 req/s becomes 200 req/s. */
    public static final double STRESS_PRESET_RPS_SCALE = 200.0;
    /** The name of the workload preset the plan's default scale is tuned for. */
    public static final String STRESS_PRESET = "stress";

    /**
     * The rps scale of a plan that states none: {@value #STRESS_PRESET_RPS_SCALE} for the {@code stress} preset
     * (tuned for its nominal 1 req/s), and the workload's own {@code rps_scale} (1 unless it states one) for any
     * other workload — which then arrives at the rates it declares, instead of 200 times them.
     */
    public static double defaultRpsScale(WorkloadSpec workload) {
        return STRESS_PRESET.equals(workload.name()) ? STRESS_PRESET_RPS_SCALE : workload.rpsScale();
    }

    public StressPlanSpec spec() {
        return spec;
    }

    /** Step 1: every configuration at every request count of the ladder. */
    public List<Cell> step1() {
        List<Cell> cells = new ArrayList<>();
        for (long requests : spec.requestLadder()) {
            for (Step1Configuration configuration : spec.step1()) {
                cells.addAll(replicated(StressStep.REQUEST_SCALING, scheduler(configuration.scheduler(), spec.bins()),
                        configuration.gpus(), requests));
            }
        }
        return cells;
    }

    /** Step 2: multi-bin batching (the plan's K) at the largest request count on every GPU count. */
    public List<Cell> step2() {
        List<Cell> cells = new ArrayList<>();
        for (int gpus : spec.gpuLadder()) {
            cells.addAll(replicated(StressStep.GPU_SCALING, scheduler("multi_bin", spec.bins()), gpus,
                    spec.largestRequests()));
        }
        return cells;
    }

    /** Step 3: every K at {@code gpus} GPUs and the largest request count. */
    public List<Cell> step3(int gpus) {
        List<Cell> cells = new ArrayList<>();
        for (int k : spec.kLadder()) {
            cells.addAll(replicated(StressStep.KBINS_SENSITIVITY, scheduler("multi_bin", k), gpus,
                    spec.largestRequests()));
        }
        return cells;
    }

    private List<Cell> replicated(StressStep step, SchedulerSpec scheduler, int gpus, long requests) {
        boolean multiBin = scheduler instanceof SchedulerSpec.MultiBin;
        String k = multiBin ? "-k" + ((SchedulerSpec.MultiBin) scheduler).bins() : "";
        String key = step.idPrefix() + "-" + scheduler.typeName() + k + "-g" + gpus + "-n" + requests;
        String label = scheduler.typeName() + (multiBin ? " K=" + ((SchedulerSpec.MultiBin) scheduler).bins() : "")
                + " on " + gpus + " GPU" + (gpus == 1 ? "" : "s");
        DeploymentConfig d = template.deployment();
        Scenario scenario = template
                .withDeployment(d.withParallelism(d.tp(), d.pp(), gpus / (d.tp() * d.pp())))
                .withScheduling(new SchedulerChoice(scheduler, multiBin ? multiBinRouter : new RouterSpec.LeastLoaded()))
                .withWorkload(template.workload().withRequests(requests).withRpsScale(spec.rpsScale()));
        List<Cell> cells = new ArrayList<>(spec.replications());
        for (int r = 0; r < spec.replications(); r++) {
            cells.add(Cell.seeded(key, step.stepName(), label, r, scenario, spec.seed()));
        }
        return cells;
    }

    /** The policy {@code type}, with the template's parameters when it states that type. */
    private SchedulerSpec scheduler(String type, int bins) {
        SchedulerSpec given = template.scheduling().scheduler();
        return switch (type) {
            case "static" -> given instanceof SchedulerSpec.Static s ? s : new SchedulerSpec.Static(null, null);
            case "continuous" -> given instanceof SchedulerSpec.Continuous c ? c : new SchedulerSpec.Continuous(null);
            case "dynamic" -> given instanceof SchedulerSpec.Dynamic d ? d : SchedulerSpec.Dynamic.defaults();
            case "multi_bin" -> given instanceof SchedulerSpec.MultiBin m
                    ? new SchedulerSpec.MultiBin(bins, m.predictor(), m.noise(), m.relativeError(), m.binPolicy(), m.batching())
                    : SchedulerSpec.MultiBin.withBins(bins);
            default -> throw new ConfigException("plan.step1[*].scheduler must be one of "
                    + Step1Configuration.SCHEDULERS + ", got " + type);
        };
    }

    private List<Integer> allGpuCounts() {
        List<Integer> counts = new ArrayList<>(spec.gpuLadder());
        spec.step1().forEach(c -> counts.add(c.gpus()));
        return counts;
    }
}
