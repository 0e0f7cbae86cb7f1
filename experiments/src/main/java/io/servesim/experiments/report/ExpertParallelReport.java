package io.servesim.experiments.report;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.workloads.WorkloadDescription;
import io.servesim.workloads.WorkloadSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code experts}: expert-parallel layouts of a mixture-of-experts model side by side. Per configuration: offered and
 * achieved rate, TTFT and TPOT p50, goodput fraction, capacity under the SLA, the measured share of GPU time spent
 * communicating, and the all-to-all share of a decode step at the run's mean batch (the step-time model's terms at
 * that batch, with the mean context of the workload's requests half-way through their output). Then, per routing
 * (uniform, or skewed with its Zipf exponent), one answer line: each layout's capacity under the SLA against the
 * first's. A layout is named by its label up to the first {@code ", "} and {@code " ("}.
 */
final class ExpertParallelReport implements PlanReport {
    @Override
    public String name() {
        return "experts";
    }

    @Override
    public String description() {
        return "mixture-of-experts layouts: rates, latency, capacity, communication and all-to-all share";
    }

    @Override
    public List<Path> write(Input input) {
        PrintWriter out = input.out();
        List<FinishedCell> cells = input.cells();
        DeploymentConfig first = cells.get(0).cell().scenario().deployment();
        long context = meanContext(cells.get(0).cell().scenario().workload());
        out.printf(Locale.ROOT, "  %s on %d %s; a decode step at the mean batch has %d tokens of context per"
                + " sequence%n", first.model(), cells.get(0).cell().gpus(), first.gpu(), context);
        out.printf(Locale.ROOT, "    %-64s %8s %8s %9s %9s %8s %9s %6s %8s%n", "configuration", "offered", "req/s",
                "TTFT p50", "TPOT p50", "goodput", "capacity", "comm", "all2all");
        List<ConfigurationMeans> configurations = input.configurations();
        for (ConfigurationMeans c : configurations) {
            out.printf(Locale.ROOT, "    %-64s %8.2f %8.2f %8.3fs %8.4fs %7.1f%% %9.2f %5.1f%% %7.1f%%%n", c.label(),
                    c.mean("offered_rps"), c.mean("throughput_rps"), c.mean("ttft_p50_s"), c.mean("tpot_p50_s"),
                    100 * c.mean("goodput_fraction"), c.mean("capacity_rps_under_sla"),
                    100 * c.mean("gpu_comm_fraction"),
                    100 * allToAllShare(c.scenario().deployment(), c.mean("mean_batch_size"), context));
        }
        out.println("    capacity: highest req/s with 90 % of requests within the SLA; comm: measured share of GPU busy"
                + " time spent communicating (all-reduces and all-to-alls); all2all: dispatch and combine share of a"
                + " decode step at the run's mean batch");
        Map<String, Map<String, Double>> capacityByRouting = new LinkedHashMap<>();
        for (ConfigurationMeans c : configurations) {
            Double skew = c.scenario().deployment().routingSkew();
            String routing = skew == null ? "uniform" : "skewed";
            capacityByRouting.computeIfAbsent(routing, r -> new LinkedHashMap<>())
                    .putIfAbsent(layout(c.label()), c.mean("capacity_rps_under_sla"));
        }
        capacityByRouting.forEach((routing, capacities) -> {
            if (capacities.size() < 2) {
                return;
            }
            List<String> parts = new ArrayList<>();
            double reference = capacities.values().iterator().next();
            capacities.forEach((layout, capacity) -> parts.add(layout + String.format(Locale.ROOT, " %.2f req/s", capacity)
                    + (parts.isEmpty() ? "" : String.format(Locale.ROOT, " (%.2f×)", capacity / reference))));
            out.println("    answer, " + routing + " routing: capacity under the SLA " + String.join(", ", parts));
        });
        return List.of();
    }

    private static String layout(String label) {
        return label.split(", ")[0].split(" \\(")[0];
    }

    /** Mean prompt plus half the mean output of the workload's requests: a sequence's context half-way through. */
    private static long meanContext(WorkloadSpec workload) {
        WorkloadDescription.Row lengths = WorkloadDescription.describe(workload, 1, 10_000).total();
        return Math.round(lengths.prompt().analyticMean() + lengths.output().analyticMean() / 2);
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
        if (model.model().moeLayers() == 0) {
            return 0;
        }
        int batch = (int) Math.round(meanBatch);
        double step = model.stageSeconds(new BatchShape().setDecode(batch, batch * context));
        return model.model().moeLayers() * model.experts().allToAllSeconds(batch) / step;
    }
}
