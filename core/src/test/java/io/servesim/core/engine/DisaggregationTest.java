package io.servesim.core.engine;

import io.servesim.core.cluster.Topology;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DisaggregationTest {
    /** GPU 0 prefills, GPU 1 decodes (one replica each), on one 100 GB/s link of 5 µs. */
    private static final Topology TWO_GPUS = Topology.fullMesh(2, 100, 5);
    /** 1 MB of KV per token: a 100-token prompt is 0.1 GB, 1 ms on the link. */
    private static final double KV_BYTES_PER_TOKEN = 1e6;

    static SimulationResult run(ReplicaConfig prefill, ReplicaConfig decode, WorkloadSource workload, boolean fast) {
        AffineStepTimeModel tenMillis = AffineStepTimeModel.constant(0.01);
        Disaggregation pool = new Disaggregation(
                List.of(new ReplicaSetup(decode, tenMillis, new ContinuousBatchingScheduler())), new RoundRobinRouter(),
                TWO_GPUS, new int[][] {{0}}, new int[][] {{1}}, KV_BYTES_PER_TOKEN);
        return new Simulation(List.of(new ReplicaSetup(prefill, tenMillis, new ContinuousBatchingScheduler())),
                new RoundRobinRouter(), pool, workload, SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

    @Test
    void theTransferIsPartOfTheTimeToFirstTokenAndDecodingHappensOnTheDecodeReplica() {
        // Prompt 100, output 5, arriving at 1: the prefill ends at 1.01 (first token computed); 0.1 GB cross the
        // link in 1 ms + 5 µs, so the first token counts at 1.011005; 4 decode iterations of 10 ms on GPU 1 follow.
        ReplicaConfig limits = ReplicaTest.config(8, 2048, false, 1000);
        SimulationResult r = run(limits, limits, ListWorkloadSource.ofRows(new double[] {1.0, 100, 5}), true);
        RequestTable t = r.requests();
        assertThat(t.outcome(0)).isEqualTo(Outcome.COMPLETED);
        assertThat(t.handoffTime(0)).isCloseTo(1.01, within(1e-12));
        assertThat(t.firstTokenTime(0)).isCloseTo(1.011005, within(1e-12));
        assertThat(t.finishTime(0)).isCloseTo(1.051005, within(1e-12));
        assertThat(t.replica(0)).isZero();
        assertThat(t.decodeReplica(0)).isEqualTo(1);
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(1);
        assertThat(r.cluster().replica(1).stats().iterations()).isEqualTo(4);
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.energy().kvTransfers()).isEqualTo(1);
        assertThat(m.energy().kvTransferMeanSeconds()).isCloseTo(0.001005, within(1e-12));
    }

    @Test
    void aSaturatedDecodePoolQueuesTransferredRequestsWithoutLosingOne() {
        // The decode replica holds 20 blocks (320 tokens): at most two requests of 100 + 60 tokens at once, so the
        // other 58 of 60 wait there with their KV delivered — none fails, every one completes.
        ReplicaConfig prefill = ReplicaTest.config(64, 8192, false, 100_000);
        ReplicaConfig decode = ReplicaTest.config(64, 8192, false, 20);
        double[][] rows = new double[60][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {0.001 * i, 100, 60};
        }
        SimulationResult r = run(prefill, decode, ListWorkloadSource.ofRows(rows), true);
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.arrived()).isEqualTo(60);
        assertThat(m.completed()).isEqualTo(60);
        assertThat(m.failed()).isZero();
        assertThat(m.inFlight()).isZero();
        assertThat(r.cluster().replica(1).stats().peakUsedBlocks()).isLessThanOrEqualTo(20);
        // Decoding is the bottleneck: the last request finishes long after its KV arrived.
        RequestTable t = r.requests();
        assertThat(t.finishTime(59) - t.firstTokenTime(59)).isGreaterThan(10 * 59 * 0.01);
    }

    @Test
    void steppedAndJumpedDisaggregatedRunsGiveTheSameTimes() {
        ReplicaConfig prefill = ReplicaTest.config(16, 4096, true, 2000);
        ReplicaConfig decode = ReplicaTest.config(32, 4096, false, 300);
        List<double[]> times = new ArrayList<>();
        for (boolean fast : new boolean[] {true, false}) {
            SimulationResult r = run(prefill, decode, TestWorkloads.poisson(5, 400, 40, 10, 400, 1, 200), fast);
            double[] finish = new double[r.arrived()];
            for (int i = 0; i < finish.length; i++) {
                finish[i] = r.requests().finishTime(i) + r.requests().firstTokenTime(i);
            }
            times.add(finish);
            assertThat(RunMetrics.of(r).completed()).isEqualTo(400);
        }
        assertThat(times.get(0)).containsExactly(times.get(1));
    }
}
