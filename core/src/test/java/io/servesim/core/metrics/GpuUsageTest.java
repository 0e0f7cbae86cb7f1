package io.servesim.core.metrics;

import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.Topology;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.ConstantStageModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GpuUsageTest {
    private static final ReplicaConfig LIMITS =
            new ReplicaConfig(64, 4096, false, 4096, 1000, 16, 4096, 1 << 20, Double.POSITIVE_INFINITY);

    @Test
    void tensorParallelGpusShareTheirStagesBusyAndCommunicationTime() {
        // One stage of 10 ms on 2 GPUs, 2 ms of it all-reduce. One request at t = 0 (prompt 10, output 5):
        // 5 iterations, horizon 0.05 s. Each GPU: busy 50 ms (fraction 1), communication 10 ms (fraction 0.2),
        // compute 40 ms; both alike, so the balance is 0.
        ReplicaSetup setup = new ReplicaSetup(LIMITS, new ConstantStageModel(new double[] {0.010}, 0, 0.002, 2),
                new ContinuousBatchingScheduler());
        SimulationResult r = new Simulation(List.of(setup), new RoundRobinRouter(),
                ListWorkloadSource.ofRows(new double[] {0.0, 10, 5}), SimulationOptions.DEFAULT).run();
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.gpus()).hasSize(2);
        for (GpuUsage gpu : m.gpus()) {
            assertThat(gpu.busyFraction()).isCloseTo(1.0, within(1e-12));
            assertThat(gpu.communicationBusySeconds()).isCloseTo(0.010, within(1e-12));
            assertThat(gpu.computeBusySeconds()).isCloseTo(0.040, within(1e-12));
            assertThat(gpu.memoryPeakGiB()).isNaN();
        }
        assertThat(m.gpus()).extracting(GpuUsage::tpRank).containsExactly(0, 1);
        assertThat(m.gpuCommFraction()).isCloseTo(0.2, within(1e-12));
        assertThat(m.gpuBalance()).isCloseTo(0.0, within(1e-12));
        assertThat(m.gpuUtilMean()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void gpusAreNumberedAsTheDeploymentPlacesThemAndHoldTheirStagesWeightsAndKv() {
        // Llama-2-7B, tp 2, pp 2, 2 replicas on 8 GPUs. Each stage: 16 layers + one vocabulary matrix =
        // (16 · 202,375,168 + 131,072,000) · 2 B = 6,738,149,376 B; / 2 ranks = 3,369,074,688 B
        // = 3.137695 GiB per GPU; KV per token per GPU = 524,288 · 16/32 / 2 = 131,072 B.
        // One request (prompt 1000, output 50) on replica 0: at its last step it holds ⌈1049 / 16⌉ = 66 blocks,
        // 66 · 16 · 131,072 B = 0.128906 GiB → peak 3.266602 GiB on each of replica 0's GPUs; replica 1 holds
        // only its weights.
        Deployment deployment = Deployment.of(Catalog.load().model("Llama-2-7B"), Catalog.load().gpu("H100-SXM"),
                2, 2, 2, Topology.fullMesh(8, 900, 1));
        SimulationResult r = new Simulation(deployment.replicaPool(LIMITS).plans(engine -> new ContinuousBatchingScheduler()),
                new RoundRobinRouter(), ListWorkloadSource.ofRows(new double[] {0.0, 1000, 50}),
                SimulationOptions.DEFAULT).run();
        List<GpuUsage> gpus = GpuUsage.of(r);
        assertThat(gpus).hasSize(8);
        List<Integer> placed = new ArrayList<>();
        for (GpuUsage gpu : gpus) {
            placed.add(deployment.gpuIndex(gpu.replica(), gpu.stage(), gpu.tpRank()));
        }
        assertThat(placed).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(gpus).extracting(GpuUsage::gpu).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        for (GpuUsage gpu : gpus.subList(0, 4)) {
            assertThat(gpu.memoryPeakGiB()).isCloseTo(3.266602, within(1e-6));
            assertThat(gpu.memoryMeanGiB()).isBetween(3.137695, 3.266602);
            assertThat(gpu.busyFraction()).isPositive();
        }
        for (GpuUsage gpu : gpus.subList(4, 8)) {
            assertThat(gpu.memoryPeakGiB()).isCloseTo(3.137695, within(1e-6));
            assertThat(gpu.busyFraction()).isZero();
        }
    }

    @Test
    void balanceIsTheLargestDeviationFromTheMeanBusyTime() {
        // Busy 1, 2, 3 s: mean 2, largest deviation 1 → 0.5. Communication fractions 0.5 and 0 (the idle GPU
        // does not count): mean 0.25.
        List<GpuUsage> gpus = List.of(
                new GpuUsage(0, 0, 0, 0, 0.1, 0.5, 0.5, 1, 1, 0, Double.NaN, Double.NaN, Double.NaN),
                new GpuUsage(1, 0, 1, 0, 0.2, 2.0, 0.0, 1, 1, 0, Double.NaN, Double.NaN, Double.NaN),
                new GpuUsage(2, 1, 0, 0, 0.3, 3.0, 0.0, 1, 1, 0, Double.NaN, Double.NaN, Double.NaN),
                new GpuUsage(3, 1, 1, 0, 0.0, 0.0, 0.0, 1, 1, 0, Double.NaN, Double.NaN, Double.NaN));
        assertThat(GpuUsage.balance(gpus.subList(0, 3))).isCloseTo(0.5, within(1e-12));
        assertThat(GpuUsage.meanCommunicationFraction(gpus.subList(0, 2))).isCloseTo(0.25, within(1e-12));
        assertThat(GpuUsage.meanCommunicationFraction(gpus.subList(1, 4))).isZero();
        assertThat(GpuUsage.balance(gpus.subList(3, 4))).isZero();
    }

    @Test
    void gpuColumnsCloseTheResourceColumnsOfTheSchema() {
        SimulationResult r = new Simulation(List.of(new ReplicaSetup(LIMITS, ConstantStageModel.uniform(1, 0.01, 0),
                new ContinuousBatchingScheduler())), new RoundRobinRouter(),
                ListWorkloadSource.ofRows(new double[] {0.0, 10, 2}), SimulationOptions.DEFAULT).run();
        List<String> names = List.copyOf(RunMetrics.of(r).columns().keySet());
        // docs/results-schema.md: Resources ends with the GPU columns; the prefix-cache section follows
        int end = names.indexOf("prefill_tokens_computed");
        assertThat(names.subList(end - 3, end)).containsExactly("sim_horizon_s", "gpu_comm_fraction", "gpu_balance");
        assertThat(names.subList(end, end + 3))
                .containsExactly("prefill_tokens_computed", "prefix_hit_rate_tokens", "prefix_hit_rate_requests");
    }
}
