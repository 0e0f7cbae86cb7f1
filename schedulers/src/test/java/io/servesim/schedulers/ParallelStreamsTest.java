package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParallelStreamsTest {
    private static final ReplicaConfig GPU = Scenarios.config(16, 4096, false, 100_000);
    private static final AffineStepTimeModel TEN_MS = AffineStepTimeModel.constant(0.01);

    /** 3,000 requests at t = 0, prompt 10, output 50: one stream serves 16 at a time, ≈ 50 iterations each. */
    private static WorkloadSource saturated() {
        double[][] rows = new double[3000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {0.0, 10, 50};
        }
        return ListWorkloadSource.ofRows(rows);
    }

    private static double throughput(SchedulerSpec spec) {
        WorkloadSource workload = saturated();
        ReplicaLayout layout = Scenarios.registry().layout(spec, new RouterSpec.RoundRobin(), new ReplicaPool(GPU, TEN_MS, 1),
                Scenarios.context(workload));
        SimulationResult r = new Simulation(layout.replicas(), layout.router(), workload, SimulationOptions.DEFAULT).run();
        RequestTable t = r.requests();
        double last = 0;
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.outcome(i)).isEqualTo(Outcome.COMPLETED);
            last = Math.max(last, t.finishTime(i));
        }
        return t.size() / last;
    }

    private static SchedulerSpec.ParallelStream streams(int n, double e, StreamStrategy strategy) {
        return new SchedulerSpec.ParallelStream(n, e, strategy, null);
    }

    @Test
    void twoStreamsWithPerfectOverlapDoubleThroughput() {
        // Simple: 16 at a time, 50 iterations of 10 ms → ≈ 32 req/s. Two streams with e = 1 each keep
        // 10 ms iterations (slowdown 2 / (1 + 1) = 1) → ≈ 64 req/s.
        double simple = throughput(new SchedulerSpec.Simple());
        double two = throughput(streams(2, 1.0, StreamStrategy.ROUND_ROBIN));
        assertThat(two / simple).isCloseTo(2.0, within(0.06));
    }

    @Test
    void twoStreamsWithoutOverlapGainNothing() {
        // e = 0: each stream's iterations take 2 × 10 ms, so two streams together serve what one did.
        double simple = throughput(new SchedulerSpec.Simple());
        double two = throughput(streams(2, 0.0, StreamStrategy.BALANCED));
        assertThat(two / simple).isCloseTo(1.0, within(0.03));
    }

    @Test
    void contentionSlowdownIsNOverOnePlusNMinusOneE() {
        // N = 4, e = 0.5: 4 / (1 + 3 · 0.5) = 1.6.
        assertThat(new ContentionStepTimeModel(TEN_MS, 4, 0.5).slowdown()).isCloseTo(1.6, within(1e-15));
    }

    @Test
    void smartStrategySeparatesContextHeavyFromGenerationHeavyRequests() {
        // N = 4 on one GPU: streams 0–1 context-heavy, 2–3 generation-heavy; threshold 1.
        // Alternating prompt-heavy (1000 / 10) and output-heavy (10 / 500) requests.
        double[][] rows = new double[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 2 == 0 ? new double[] {i * 0.001, 1000, 10} : new double[] {i * 0.001, 10, 500};
        }
        ReplicaLayout layout = ParallelStreams.build(new ReplicaPool(GPU, TEN_MS, 1), 4, 0.8, StreamStrategy.SMART, 1.0);
        SimulationResult r = new Simulation(layout.replicas(), layout.router(), ListWorkloadSource.ofRows(rows),
                SimulationOptions.DEFAULT).run();
        int[] perStream = new int[4];
        for (int i = 0; i < rows.length; i++) {
            int stream = r.requests().replica(i);
            perStream[stream]++;
            assertThat(stream < 2).as("request %d", i).isEqualTo(i % 2 == 0);
        }
        // Balanced within each group: 10 requests per stream.
        assertThat(perStream).containsExactly(10, 10, 10, 10);
        assertThat(layout.replicas().get(0).config().kvBlocks()).isEqualTo(25_000);
    }

    @Test
    void roundRobinAndBalancedStrategiesRouteAsDocumented() {
        double[][] rows = {{0.0, 1000, 1000}, {0.001, 10, 10}, {0.002, 10, 10}, {0.003, 10, 10}};
        ReplicaLayout rr = ParallelStreams.build(new ReplicaPool(GPU, TEN_MS, 1), 2, 1.0, StreamStrategy.ROUND_ROBIN, 1.0);
        SimulationResult a = new Simulation(rr.replicas(), rr.router(), ListWorkloadSource.ofRows(rows), SimulationOptions.DEFAULT).run();
        // Round robin: 0, 1, 0, 1. Balanced (least prompt + output outstanding): 0, then 1, 1, 1 (2000 ≫ 20, 40).
        assertThat(new int[] {a.requests().replica(0), a.requests().replica(1), a.requests().replica(2), a.requests().replica(3)})
                .containsExactly(0, 1, 0, 1);
        ReplicaLayout balanced = ParallelStreams.build(new ReplicaPool(GPU, TEN_MS, 1), 2, 1.0, StreamStrategy.BALANCED, 1.0);
        SimulationResult b = new Simulation(balanced.replicas(), balanced.router(), ListWorkloadSource.ofRows(rows),
                SimulationOptions.DEFAULT).run();
        assertThat(new int[] {b.requests().replica(0), b.requests().replica(1), b.requests().replica(2), b.requests().replica(3)})
                .containsExactly(0, 1, 1, 1);
    }
}
