package io.servesim.core.engine;

import io.servesim.core.metrics.GpuUsage;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.model.ConstantStageModel;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Pipeline parallelism: virtual engines whose iterations pass shared stage servers. */
class PipelineTest {
    private static final ReplicaConfig LIMITS = ReplicaTest.config(64, 4096, false, 40_000);

    private static SimulationResult run(ReplicaPlan plan, WorkloadSource workload, double horizonSeconds) {
        return new Simulation(List.of(plan), new RoundRobinRouter(), workload,
                new SimulationOptions(horizonSeconds, true)).run();
    }

    private static PipelineReplicaSetup pipelined(StepTimeModel model) {
        return new PipelineReplicaSetup(LIMITS, model, engine -> new ContinuousBatchingScheduler());
    }

    /** 64 requests at t = 0 with outputs far longer than the run: every engine decodes until the horizon. */
    private static WorkloadSource saturating() {
        double[][] rows = new double[64][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {0.0, 16, 5000};
        }
        return ListWorkloadSource.ofRows(rows);
    }

    private static long iterations(SimulationResult r) {
        long sum = 0;
        for (int i = 0; i < r.cluster().replicaCount(); i++) {
            sum += r.cluster().replica(i).stats().iterations();
        }
        return sum;
    }

    @Test
    void aPipelineReplicaRunsOneVirtualEnginePerStageWithItsShareOfTheKvBlocks() {
        // 2 stages → 2 engines for the router, each with 40,000 / 2 = 20,000 blocks, both of replica 0.
        SimulationResult r = run(pipelined(ConstantStageModel.uniform(2, 0.010, 0.001)),
                ListWorkloadSource.ofRows(new double[] {0.0, 10, 2}), Double.POSITIVE_INFINITY);
        Cluster cluster = r.cluster();
        assertThat(cluster.replicaCount()).isEqualTo(2);
        assertThat(cluster.deploymentReplicaCount()).isEqualTo(1);
        for (int v = 0; v < 2; v++) {
            assertThat(cluster.replica(v).virtualEngine()).isEqualTo(v);
            assertThat(cluster.replica(v).deploymentReplica()).isZero();
            assertThat(cluster.replica(v).totalKvBlocks()).isEqualTo(20_000);
        }
    }

    @Test
    void withOneBatchInFlightTheStagesAndTheTransferAdd() {
        // Stages of 10 ms, 1 ms send. One request (prompt 10, output 5) arriving at 1.0: each iteration takes
        // stage 0 + send + stage 1 = 10 + 1 + 10 = 21 ms; prefill ends at 1.021 (first token), then 4 decodes:
        // finish at 1.0 + 5 · 0.021 = 1.105.
        SimulationResult r = run(pipelined(ConstantStageModel.uniform(2, 0.010, 0.001)),
                ListWorkloadSource.ofRows(new double[] {1.0, 10, 5}), Double.POSITIVE_INFINITY);
        assertThat(r.requests().firstTokenTime(0)).isCloseTo(1.021, within(1e-12));
        assertThat(r.requests().finishTime(0)).isCloseTo(1.105, within(1e-12));
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(5);
        assertThat(r.cluster().replica(1).stats().iterations()).isZero();

        // The bubble: over the horizon of 1.105 s, stage 0's GPU computed 5 · 10 ms and sent 5 · 1 ms (55 ms),
        // stage 1's computed 50 ms; each waited while the other worked.
        // Balance: mean 52.5 ms, max |busy − mean| = 2.5 ms → 2.5 / 52.5 = 0.047619.
        List<GpuUsage> gpus = GpuUsage.of(r);
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0).busySeconds()).isCloseTo(0.055, within(1e-12));
        assertThat(gpus.get(0).communicationBusySeconds()).isCloseTo(0.005, within(1e-12));
        assertThat(gpus.get(1).busySeconds()).isCloseTo(0.050, within(1e-12));
        assertThat(gpus.get(1).communicationBusySeconds()).isZero();
        assertThat(gpus.get(0).busyFraction()).isCloseTo(0.055 / 1.105, within(1e-12));
        assertThat(GpuUsage.balance(gpus)).isCloseTo(2.5 / 52.5, within(1e-9));
    }

    @Test
    void withManyBatchesInFlightTheSlowestStageSetsTheRate() {
        // Stage 0: 6 ms (+ 0.05 ms send), stage 1: 10 ms. Two virtual engines keep stage 1 always busy, so the
        // pipeline completes one iteration per 10 ms: 100 iterations/s (stage 0 busy 6.05 / 10 = 60.5 %).
        ConstantStageModel model = new ConstantStageModel(new double[] {0.006, 0.010}, 0.00005, 0, 1);
        SimulationResult r = run(pipelined(model), saturating(), 20.0);
        assertThat(iterations(r) / r.horizonSeconds()).isCloseTo(100.0, withinPercentage(1));
        List<GpuUsage> gpus = GpuUsage.of(r);
        assertThat(gpus.get(1).busyFraction()).isCloseTo(1.0, withinPercentage(1));
        assertThat(gpus.get(0).busyFraction()).isCloseTo(0.605, withinPercentage(1));
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.gpuUtilMin()).isEqualTo(gpus.get(0).busyFraction());
        assertThat(m.gpuUtilMax()).isEqualTo(gpus.get(1).busyFraction());
    }

    @Test
    void aSingleEngineOnAPipelineHasOneBatchInFlight() {
        // The same stages run by one engine (a plain ReplicaSetup): each iteration waits for the previous one,
        // 6 + 0.05 + 10 = 16.05 ms → 62.31 iterations/s, against 100/s with two virtual engines.
        ConstantStageModel model = new ConstantStageModel(new double[] {0.006, 0.010}, 0.00005, 0, 1);
        SimulationResult r = run(new ReplicaSetup(LIMITS, model, new ContinuousBatchingScheduler()), saturating(), 20.0);
        assertThat(r.cluster().replicaCount()).isEqualTo(1);
        assertThat(iterations(r) / r.horizonSeconds()).isCloseTo(1 / 0.01605, withinPercentage(1));
    }

    @Test
    void theReplicasPeakKvUseCountsBlocksTakenAtAdmissionOnEveryVirtualEngine() {
        // Two requests at t = 0 go round-robin to the pipeline's two virtual engines, blocks of 16 tokens:
        // request 0 (prompt 10, output 2) takes ⌈10/16⌉ = 1 block at admission and its one decode (token 11) fits
        // in it; request 1 (prompt 40, output 2) takes ⌈40/16⌉ = 3 blocks, and token 41 fits in them. Neither ever
        // takes another block, and both are in the pipeline together: the replica's peak is 1 + 3 = 4 blocks, the
        // sum of its engines' peaks — with or without prefix caching (no prompt shares a block with another).
        for (boolean caching : new boolean[] {false, true}) {
            PipelineReplicaSetup setup = new PipelineReplicaSetup(LIMITS.withPrefixCaching(caching),
                    ConstantStageModel.uniform(2, 0.010, 0.001), engine -> new ContinuousBatchingScheduler());
            SimulationResult r = run(setup, ListWorkloadSource.ofRows(new double[] {0.0, 10, 2},
                    new double[] {0.0, 40, 2}), Double.POSITIVE_INFINITY);

            Replica engine0 = r.cluster().replica(0);
            Replica engine1 = r.cluster().replica(1);
            assertThat(engine0.stats().peakUsedBlocks()).as("engine 0, caching %s", caching).isEqualTo(1);
            assertThat(engine1.stats().peakUsedBlocks()).as("engine 1, caching %s", caching).isEqualTo(3);
            assertThat(engine0.stats().replicaPeakUsedBlocks()).as("replica, caching %s", caching).isEqualTo(4);
            assertThat(engine1.stats().replicaPeakUsedBlocks()).isEqualTo(4);
            assertThat(engine0.stats().usedKvBlocks() + engine1.stats().usedKvBlocks()).as("all freed").isZero();
        }
    }
}
