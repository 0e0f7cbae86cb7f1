package io.servesim.core.observe;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimeSeriesRecorderTest {

    private static TimeSeriesRecorder record(double interval, boolean fast, ReplicaConfig config, int replicas,
                                             io.servesim.core.model.StepTimeModel model,
                                             io.servesim.core.workload.WorkloadSource workload) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            setups.add(new ReplicaSetup(config, model, new ContinuousBatchingScheduler()));
        }
        TimeSeriesRecorder recorder = new TimeSeriesRecorder(interval);
        new Simulation(setups, new RoundRobinRouter(), workload, SimulationOptions.DEFAULT.withFastForward(fast))
                .run(recorder);
        return recorder;
    }

    @Test
    void samplesOfOneBusyReplicaWithAQueueMatchTheHandCalculation() {
        // One sequence at a time (max_num_seqs 1), every iteration 10 ms, 16-token KV blocks.
        // Request 0 arrives at 0.003 (prompt 100, output 21): its prefill ends at 0.013, then 20 decode iterations
        // end at 0.023 … 0.213 — one fast-forwarded run. Request 1 arrives at 0.06 and waits until 0.213.
        // Grid Δ = 0.05, samples at 0.05, 0.10, 0.15, 0.20 (the run ends at 0.233):
        //   τ = 0.05: iterations ending 0.013 … 0.043 = 4, tokens 100 (prefill) + 3 (decodes) = 103, queue 0,
        //             busy (0.05 − 0.003) / 0.05 = 0.94, KV after 4 iterations: 100 + 3 = 103 tokens → 7 blocks;
        //   τ = 0.10, 0.15, 0.20: 5 iterations, 5 tokens each, queue 1, busy 1;
        //             KV after 9 / 14 / 19 iterations: 108 / 113 / 118 tokens → 7 / 8 / 8 blocks.
        ReplicaConfig config = new ReplicaConfig(1, 2048, false, 4096, 100, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY, false);
        TimeSeriesRecorder.EngineSeries s = record(0.05, true, config, 1, AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.003, 100, 21}, new double[] {0.06, 20, 2})).engine(0);
        assertThat(s.size()).isEqualTo(4);
        double[] times = {0.05, 0.10, 0.15, 0.20};
        int[] queue = {0, 1, 1, 1};
        long[] iterations = {4, 5, 5, 5};
        long[] tokens = {103, 5, 5, 5};
        int[] kv = {7, 7, 8, 8};
        double[] busy = {0.94, 1, 1, 1};
        for (int i = 0; i < 4; i++) {
            assertThat(s.timeSeconds(i)).isCloseTo(times[i], within(1e-12));
            assertThat(s.queueLength(i)).as("queue at %s", times[i]).isEqualTo(queue[i]);
            assertThat(s.running(i)).isEqualTo(1);
            assertThat(s.iterations(i)).as("iterations to %s", times[i]).isEqualTo(iterations[i]);
            assertThat(s.tokens(i)).as("tokens to %s", times[i]).isEqualTo(tokens[i]);
            assertThat(s.kvBlocksUsed(i)).as("KV blocks at %s", times[i]).isEqualTo(kv[i]);
            assertThat(s.busyFraction(i)).as("busy to %s", times[i]).isCloseTo(busy[i], within(1e-9));
        }
    }

    @Test
    void anIdleGapCountsAsNotBusyAndEmptiesTheBatch() {
        // Request 0 at 0 (prompt 10, output 3): iterations end 0.01, 0.02, 0.03. Request 1 at 0.25 (output 2):
        // 0.26, 0.27. Δ = 0.1: cell (0, 0.1] busy 0.03 s → 0.3; cell (0.1, 0.2] idle, nothing running, no KV;
        // cell (0.2, 0.3] would come after the last event (0.27) and is not sampled.
        ReplicaConfig config = new ReplicaConfig(8, 2048, false, 4096, 100, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY, false);
        TimeSeriesRecorder.EngineSeries s = record(0.1, true, config, 1, AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.0, 10, 3}, new double[] {0.25, 10, 2})).engine(0);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.busyFraction(0)).isCloseTo(0.3, within(1e-9));
        assertThat(s.iterations(0)).isEqualTo(3);
        assertThat(s.tokens(0)).isEqualTo(12);
        assertThat(s.busyFraction(1)).isZero();
        assertThat(s.running(1)).isZero();
        assertThat(s.iterations(1)).isZero();
        assertThat(s.kvBlocksUsed(1)).isZero();
    }

    @Test
    void steppedAndFastForwardedRunsGiveTheSameSamples() {
        for (long seed = 1; seed <= 6; seed++) {
            RandomScenario scenario = RandomScenario.draw(seed);
            TimeSeriesRecorder stepped = record(0.37, false, scenario.config(), scenario.replicas(), scenario.model(),
                    scenario.workload());
            TimeSeriesRecorder jumped = record(0.37, true, scenario.config(), scenario.replicas(), scenario.model(),
                    scenario.workload());
            assertThat(jumped.engineCount()).isEqualTo(scenario.replicas());
            long busyCells = 0;
            for (int e = 0; e < scenario.replicas(); e++) {
                TimeSeriesRecorder.EngineSeries a = stepped.engine(e);
                TimeSeriesRecorder.EngineSeries b = jumped.engine(e);
                assertThat(b.size()).isEqualTo(a.size()).isPositive();
                for (int i = 0; i < a.size(); i++) {
                    String at = "seed " + seed + " engine " + e + " sample " + i;
                    assertThat(b.timeSeconds(i)).as(at).isEqualTo(a.timeSeconds(i));
                    assertThat(b.queueLength(i)).as(at).isEqualTo(a.queueLength(i));
                    assertThat(b.running(i)).as(at).isEqualTo(a.running(i));
                    assertThat(b.kvBlocksUsed(i)).as(at).isEqualTo(a.kvBlocksUsed(i));
                    assertThat(b.iterations(i)).as(at).isEqualTo(a.iterations(i));
                    assertThat(b.tokens(i)).as(at).isEqualTo(a.tokens(i));
                    assertThat(b.busyFraction(i)).as(at).isEqualTo(a.busyFraction(i));
                    busyCells += a.busyFraction(i) > 0 ? 1 : 0;
                }
            }
            assertThat(busyCells).isPositive();
        }
    }
}
