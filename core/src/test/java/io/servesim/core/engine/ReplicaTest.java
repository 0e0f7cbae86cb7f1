package io.servesim.core.engine;

import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.DecodeCost;
import io.servesim.core.model.StepTimeBreakdown;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplicaTest {
    static ReplicaConfig config(int maxSeqs, int budget, boolean chunked, int kvBlocks) {
        return new ReplicaConfig(maxSeqs, budget, chunked, 4096, kvBlocks, 16, 1 << 20, 1 << 20, Double.POSITIVE_INFINITY);
    }

    static SimulationResult run(ReplicaConfig config, StepTimeModel model, WorkloadSource workload, boolean fast) {
        ReplicaSetup setup = new ReplicaSetup(config, model, new ContinuousBatchingScheduler());
        return new Simulation(List.of(setup), new RoundRobinRouter(), workload,
                SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

    @Test
    void requestsArrivingTogetherAtAnIdleReplicaArePrefilledTogether() {
        // Three prompts of 100 tokens at t = 1.0 on an idle replica: one iteration of 300 prefill tokens,
        // 5 ms + 300 · 10 µs = 8 ms, gives all three their first token at 1.008 (not the first alone at 1.006).
        SimulationResult r = run(config(8, 4096, false, 1000), new AffineStepTimeModel(0.005, 1e-5, 1e-3),
                ListWorkloadSource.ofRows(new double[] {1.0, 100, 2}, new double[] {1.0, 100, 2},
                        new double[] {1.0, 100, 2}), true);
        for (int i = 0; i < 3; i++) {
            assertThat(r.requests().firstTokenTime(i)).isCloseTo(1.008, within(1e-12));
        }
        assertThat(r.cluster().replica(0).stats().iterations()).as("one prefill, one decode").isEqualTo(2);
    }

    @Test
    void singleRequestTakesOnePrefillAndOutputMinusOneDecodeIterations() {
        // prompt 100, output 5, every iteration 10 ms: prefill ends at 1.00 + 0.01 (first token),
        // then 4 decode iterations: finish at 1.05.
        SimulationResult r = run(config(8, 2048, false, 100), AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {1.0, 100, 5}), true);
        RequestTable t = r.requests();
        assertThat(t.outcome(0)).isEqualTo(Outcome.COMPLETED);
        assertThat(t.firstTokenTime(0)).isCloseTo(1.01, within(1e-12));
        assertThat(t.finishTime(0)).isCloseTo(1.05, within(1e-12));
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(5);
    }

    @Test
    void continuousBatchingAdmitsAnArrivalMidFlight() {
        // Request 0: arrives 0, output 100 → iterations end at 0.01, 0.02, … ; request 1 arrives at 0.105
        // and is admitted at the boundary 0.11 (prefill joins the running decode), first token at 0.12.
        SimulationResult r = run(config(8, 2048, false, 1000), AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.0, 10, 100}, new double[] {0.105, 10, 3}), true);
        RequestTable t = r.requests();
        assertThat(t.firstScheduledTime(1)).isCloseTo(0.11, within(1e-9));
        assertThat(t.firstTokenTime(1)).isCloseTo(0.12, within(1e-9));
        assertThat(t.finishTime(1)).isCloseTo(0.14, within(1e-9));
        // Request 0 is not disturbed: 1 prefill + 99 decode iterations of 10 ms.
        assertThat(t.finishTime(0)).isCloseTo(1.00, within(1e-9));
    }

    @Test
    void chunkedPrefillCompletesPromptLargerThanTokenBudget() {
        // 12,510-token prompt, budget 4,096: chunks 4096, 4096, 4096, 222 → first token after 4 iterations.
        WorkloadSource w = ListWorkloadSource.ofRows(new double[] {0.0, 12510, 2});
        SimulationResult chunked = run(config(8, 4096, true, 10_000), AffineStepTimeModel.constant(0.01), w, true);
        assertThat(chunked.requests().outcome(0)).isEqualTo(Outcome.COMPLETED);
        assertThat(chunked.requests().firstTokenTime(0)).isCloseTo(0.04, within(1e-12));
        assertThat(chunked.cluster().replica(0).stats().iterations()).isEqualTo(5);
    }

    @Test
    void promptOverTokenBudgetFailsWithoutChunkedPrefill() {
        SimulationResult r = run(config(8, 4096, false, 10_000), AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.0, 12510, 2}), true);
        assertThat(r.requests().outcome(0)).isEqualTo(Outcome.EXCEEDS_TOKEN_BUDGET);
        assertThat(r.finishedRequests()).isEqualTo(1);
    }

    @Test
    void requestsThatCanNeverFitFailWithTheirReason() {
        ReplicaConfig small = new ReplicaConfig(8, 4096, true, 4096, 10, 16, 1000, 100, Double.POSITIVE_INFINITY);
        SimulationResult r = run(small, AffineStepTimeModel.constant(0.01), ListWorkloadSource.ofRows(
                new double[] {0.0, 900, 200},   // 1100 tokens > 1000-token context
                new double[] {0.1, 150, 20}),  // 170 tokens need 11 blocks > 10
                true);
        assertThat(r.requests().outcome(0)).isEqualTo(Outcome.EXCEEDS_CONTEXT);
        assertThat(r.requests().outcome(1)).isEqualTo(Outcome.EXCEEDS_KV_CAPACITY);
    }

    @Test
    void preemptionFreesBlocksAndRecomputes() {
        // 8 blocks of 16 tokens = 128 tokens of KV. Two requests of 16-token prompts and 60 outputs
        // need 76 tokens = 5 blocks each at the end: 10 > 8, so the later one is preempted, then
        // recomputed after the first completes. Both complete with all their tokens.
        SimulationResult r = run(config(8, 2048, false, 8), AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.0, 16, 60}, new double[] {0.0, 16, 60}), true);
        RequestTable t = r.requests();
        assertThat(t.outcome(0)).isEqualTo(Outcome.COMPLETED);
        assertThat(t.outcome(1)).isEqualTo(Outcome.COMPLETED);
        assertThat(t.preemptions(1)).isEqualTo(1);
        assertThat(t.preemptions(0)).isZero();
        assertThat(t.generatedTokens(1)).isEqualTo(60);
        assertThat(r.cluster().replica(0).stats().preemptions()).isEqualTo(1);
        assertThat(r.cluster().replica(0).stats().usedKvBlocks()).isZero();
    }

    @Test
    void decodesThatNeedExactlyTheFreeBlocksRunWithoutPreemption() {
        // 4 blocks of 16 tokens. Two requests (prompt 16, output 16) are prefilled together at t = 0 into one block
        // each; their first decode iteration writes token 17 of each, so each needs its second block: 2 needed,
        // 2 free — they fit exactly, nobody is preempted, and every block is in use. 1 prefill + 15 decode
        // iterations of 10 ms: both finish at 0.16.
        for (boolean fast : new boolean[] {true, false}) {
            SimulationResult r = run(config(8, 2048, false, 4), AffineStepTimeModel.constant(0.01),
                    ListWorkloadSource.ofRows(new double[] {0.0, 16, 16}, new double[] {0.0, 16, 16}), fast);
            ReplicaStats stats = r.cluster().replica(0).stats();
            assertThat(stats.preemptions()).as("fast-forward %s", fast).isZero();
            assertThat(stats.peakUsedBlocks()).isEqualTo(4);
            for (int i = 0; i < 2; i++) {
                assertThat(r.requests().outcome(i)).isEqualTo(Outcome.COMPLETED);
                assertThat(r.requests().finishTime(i)).isCloseTo(0.16, within(1e-12));
            }
        }
    }

    @Test
    void singleServerWithFixedServiceMatchesMD1MeanWait() {
        // One sequence at a time, prompt 1, output 10 → service = 10 iterations × 10 ms = 0.1 s (μ = 10/s).
        // Poisson arrivals at λ = 5/s → ρ = 0.5; Pollaczek–Khinchine: Wq = ρ / (2μ(1−ρ)) = 0.5 / (2·10·0.5) = 0.05 s.
        int n = 200_000;
        SimulationResult r = run(config(1, 2048, false, 1 << 20), AffineStepTimeModel.constant(0.01),
                TestWorkloads.poisson(42, n, 5.0, 1, 1, 10, 10), true);
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.completed()).isEqualTo(n);
        assertThat(m.queueDelay().mean()).isCloseTo(0.05, within(0.05 * 0.03));
    }

    @Test
    void everyRequestIsAccountedFor() {
        ReplicaConfig tight = new ReplicaConfig(16, 512, true, 256, 64, 16, 4096, 50, 5.0);
        SimulationResult r = run(tight, new AffineStepTimeModel(0.005, 1e-5, 1e-4),
                TestWorkloads.poisson(7, 5_000, 80.0, 10, 600, 1, 300), true);
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.arrived()).isEqualTo(5_000);
        assertThat(m.completed() + m.failed() + m.inFlight()).isEqualTo(m.arrived());
        assertThat(m.failures().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(m.failed());
        for (int i = 0; i < r.requests().size(); i++) {
            if (r.requests().outcome(i) == Outcome.COMPLETED) {
                assertThat(r.requests().generatedTokens(i)).isEqualTo(r.requests().outputTokens(i));
                assertThat(r.requests().firstTokenTime(i)).isLessThanOrEqualTo(r.requests().finishTime(i));
            }
        }
    }

    /** A step model whose decode iterations follow a given {@link DecodeCost}; prefill iterations take 50 ms. */
    record DecodeCostModel(DecodeCost cost) implements StepTimeModel {
        @Override
        public double stageSeconds(BatchShape b) {
            return b.prefillTokens > 0 ? 0.05 : cost.seconds(b.decodeContextTokens);
        }

        @Override
        public double stageTransferSeconds(BatchShape b) {
            return 0;
        }

        @Override
        public int pipelineStages() {
            return 1;
        }

        @Override
        public StepTimeBreakdown breakdown(BatchShape b) {
            throw new IllegalStateException("not used");
        }

        @Override
        public DecodeCost decodeCost(int sequences) {
            return cost;
        }
    }

    @ParameterizedTest
    @CsvSource({"0.001, 1e-6, 0, 0, 0.002", "0.001, 0, 0.002, 1e-6, 0", "0.0005, 3e-7, 0.001, 3e-7, 0.0004"})
    void aRunOfDecodeIterationsAddsUpToTheSumOfItsIterations(double c, double a1, double b1, double a2, double b2) {
        // One request, prompt 1500, output 1000: after the prefill (first token), 999 decode iterations with context
        // x_j = 1500 + 1 + j. The max of the two lines switches at x = 2000 (j = 499) in the first two cases, so the
        // closed form must split the run there. The engine sums in whole picoseconds: 999 roundings of < 0.5 ps.
        DecodeCost cost = new DecodeCost(c, a1, b1, a2, b2);
        SimulationResult r = run(config(8, 4096, false, 1000), new DecodeCostModel(cost),
                ListWorkloadSource.ofRows(new double[] {0.0, 1500, 1000}), true);
        double expected = 0;
        for (int j = 0; j < 999; j++) {
            expected += cost.seconds(1501 + j);
        }
        RequestTable t = r.requests();
        assertThat(t.firstTokenTime(0)).isCloseTo(0.05, within(1e-15));
        assertThat(t.finishTime(0) - t.firstTokenTime(0)).isCloseTo(expected, within(1e-9));
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(1000);
        assertThat(r.events()).as("the arrival, the start of the first iteration, its end and one event for the whole"
                + " decode run").isEqualTo(4);
    }
}
