package io.servesim.experiments.study;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.workloads.Presets;
import io.servesim.workloads.WorkloadDescription;
import io.servesim.workloads.WorkloadSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code moe}: how to parallelise a mixture-of-experts model on one node. Mixtral-8x22B (8 experts, 2 per token,
 * 262 GiB) on 8 H100-SXM GPUs, attention split over all 8 (TP 8), the experts laid out four ways: split over all 8 GPUs
 * (TP), in 2 or 4 expert-parallel ranks of 4 or 2 GPUs (TP×EP), or one whole expert per GPU (EP 8). Each layout serves
 * the study's chat workload ({@value #WORKLOAD}) at three loads, and at the middle load once more with skewed routing
 * (Zipf s = {@value #SKEW}), where the busiest expert rank bounds every MoE layer. Every configuration's capacity under
 * the workload's SLA is searched (one search per layout and routing, shared by its loads).
 *
 * <p>The summary gives throughput, TTFT and TPOT, the capacity, the measured share of GPU time spent communicating,
 * and the all-to-all share of a decode step at the run's mean batch (the step-time model's terms at that batch, with
 * the mean context of the workload's requests half-way through their output). See docs/parallelism.md, "The
 * mixture-of-experts study".
 */
public final class MoeStudy implements Study {
    /** The study's workload, a bundled resource. */
    static final String WORKLOAD = "io/servesim/experiments/study/moe-chat.yaml";
    static final String MODEL = "Mixtral-8x22B";
    static final String GPU = "H100-SXM";
    static final int GPUS = 8;
    /** Arrival rates (req/s, the workload's rps_scale) of the three loads. */
    static final double[] LOADS = {10, 25, 40};
    static final String[] LOAD_NAMES = {"low", "medium", "high"};
    /** The load with a skewed-routing arm. */
    static final int SKEWED_LOAD = 1;
    /** Zipf exponent of the skewed arm: the most popular of 8 experts gets 2.7× the median's share. */
    static final double SKEW = 1.0;
    /** Expert-parallel degrees on TP 8: 1 (experts split 8 ways), 2 and 4 (TP×EP), 8 (one expert per GPU). */
    static final int[] EXPERT_PARALLEL = {1, 2, 4, 8};
    /** Where every capacity search starts (req/s). */
    static final double CAPACITY_START = 40;
    /** Relative width of a capacity search's final bracket: fine enough to tell the layouts apart. */
    static final double CAPACITY_TOLERANCE = 0.02;

    @Override
    public String name() {
        return "moe";
    }

    @Override
    public String description() {
        return "mixture of experts: TP vs EP vs TP×EP for Mixtral-8x22B on 8 H100s at three loads, with capacity";
    }

    @Override
    public String defaultWorkload() {
        return "stress";
    }

    /** The layout's name, e.g. {@code TP 8}, {@code TP 8 × EP 4 (experts over 2 GPUs)}, {@code EP 8}. */
    static String layout(int ep) {
        return ep == 1 ? "TP 8 (experts split 8 ways)" : ep == GPUS ? "EP 8 (one expert per GPU)"
                : "TP 8 × EP " + ep + " (experts over " + GPUS / ep + " GPUs)";
    }

    static WorkloadSpec workload() {
        return ConfigMapper.readResource(WORKLOAD, WorkloadSpec.class);
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        if (settings.model() != null) {
            throw new ConfigException("--model: the moe study serves " + MODEL + " itself");
        }
        if (!template.workload().equals(Presets.load(defaultWorkload()))) {
            throw new ConfigException("workload: the moe study chooses its workload itself (" + WORKLOAD + ");"
                    + " give --requests or --rps-scale to resize it");
        }
        WorkloadSpec base = workload();
        if (settings.requests() != null) {
            base = base.withRequests(settings.requests());
        }
        double scale = settings.rpsScale() != null ? settings.rpsScale() : 1;
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int replications = settings.replicationsOr(1);
        for (boolean skewed : new boolean[] {false, true}) {
            for (int ep : EXPERT_PARALLEL) {
                DeploymentConfig deployment = deployment(template, ep, skewed);
                MemoryFit fit = deployment.resolve(deployment.loadCatalog()).memoryFit();
                if (fit instanceof MemoryFit.DoesNotFit) {
                    notes.add(layout(ep) + ": not run: " + fit.describe());
                    continue;
                }
                for (int load = 0; load < LOADS.length; load++) {
                    if (skewed && load != SKEWED_LOAD) {
                        continue;
                    }
                    Scenario scenario = template.withDeployment(deployment)
                            .withWorkload(base.withRpsScale(LOADS[load] * scale));
                    String key = "moe-ep" + ep + (skewed ? "-skew" : "") + "-" + LOAD_NAMES[load];
                    String label = layout(ep) + ", " + (skewed ? "skewed" : "uniform") + " routing, " + LOAD_NAMES[load]
                            + " load";
                    for (int r = 0; r < replications; r++) {
                        cells.add(Cell.seeded(key, name(), label, r, scenario, settings.seed()));
                    }
                }
            }
        }
        return new StudyDesign(cells, notes);
    }

    private static DeploymentConfig deployment(Scenario template, int ep, boolean skewed) {
        return template.deployment().withModelAndGpu(MODEL, GPU).withParallelism(GPUS, 1, 1)
                .withExpertParallelism(ep).withRoutingSkew(skewed ? SKEW : null);
    }

    @Override
    public CapacitySearches capacity(StudySettings settings) {
        double scale = settings.rpsScale() != null ? settings.rpsScale() : 1;
        return new CapacitySearches(new CapacitySpec(null, CAPACITY_TOLERANCE, null, null, null), settings.seed(),
                CAPACITY_START * scale);
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        WorkloadDescription.Row lengths = WorkloadDescription.describe(workload(), 1, 10_000).total();
        long context = Math.round(lengths.prompt().analyticMean() + lengths.output().analyticMean() / 2);
        out.printf(Locale.ROOT, "  %s on %d %s, TP 8 attention; SLA TTFT 1 s, TPOT 50 ms; a decode step at the mean"
                + " batch has %d tokens of context per sequence%n", MODEL, GPUS, GPU, context);
        out.printf(Locale.ROOT, "    %-34s %-8s %-7s %8s %8s %9s %9s %8s %9s %6s %8s%n", "layout", "routing", "load",
                "offered", "req/s", "TTFT p50", "TPOT p50", "goodput", "capacity", "comm", "all2all");
        List<ConfigurationMeans> configurations = ConfigurationMeans.of(cells);
        for (ConfigurationMeans c : configurations) {
            String[] parts = c.label().split(", ");
            out.printf(Locale.ROOT, "    %-34s %-8s %-7s %8.2f %8.2f %8.3fs %8.4fs %7.1f%% %9.2f %5.1f%% %7.1f%%%n",
                    parts[0], parts[1].replace(" routing", ""), parts[2].replace(" load", ""), c.mean("offered_rps"),
                    c.mean("throughput_rps"), c.mean("ttft_p50_s"), c.mean("tpot_p50_s"),
                    100 * c.mean("goodput_fraction"), c.mean("capacity_rps_under_sla"),
                    100 * c.mean("gpu_comm_fraction"),
                    100 * allToAllShare(deployment(cells, c), c.mean("mean_batch_size"), context));
        }
        design.notes().forEach(note -> out.println("    " + note));
        out.println("    capacity: highest req/s with 90 % of requests within the SLA; comm: measured share of GPU busy"
                + " time spent communicating (all-reduces and all-to-alls); all2all: dispatch and combine share of a"
                + " decode step at the run's mean batch");
        for (String routing : new String[] {"uniform", "skewed"}) {
            List<ConfigurationMeans> rows = configurations.stream()
                    .filter(c -> c.label().contains(", " + routing + " routing, " + LOAD_NAMES[SKEWED_LOAD])).toList();
            if (rows.size() < 2) {
                continue;
            }
            double reference = rows.get(0).mean("capacity_rps_under_sla");
            StringBuilder answer = new StringBuilder("    answer, " + routing + " routing: capacity under the SLA ");
            for (int i = 0; i < rows.size(); i++) {
                ConfigurationMeans c = rows.get(i);
                double capacity = c.mean("capacity_rps_under_sla");
                answer.append(i == 0 ? "" : ", ").append(c.label().split(" \\(")[0]).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f req/s", capacity))
                        .append(i == 0 ? "" : String.format(Locale.ROOT, " (%.2f×)", capacity / reference));
            }
            out.println(answer);
        }
    }

    private static DeploymentConfig deployment(List<FinishedCell> cells, ConfigurationMeans c) {
        return cells.stream().filter(f -> f.cell().id().startsWith(c.configKey() + "-r")).findFirst().orElseThrow()
                .cell().scenario().deployment();
    }

    /**
     * The all-to-all share of a decode step of {@code meanBatch} sequences with {@code context} tokens each:
     * MoE layers · allToAll(B) / stage time.
     */
    static double allToAllShare(DeploymentConfig deployment, double meanBatch, long context) {
        if (!(meanBatch >= 0.5)) {
            return 0;
        }
        RooflineStepTimeModel model = deployment.resolve(deployment.loadCatalog()).stepTimeModel(0);
        int batch = (int) Math.round(meanBatch);
        double step = model.stageSeconds(new BatchShape().setDecode(batch, batch * context));
        return model.model().moeLayers() * model.experts().allToAllSeconds(batch) / step;
    }
}
