package io.servesim.core.engine;

import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.stats.LogHistogram;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code mixed_batches: false} (SGLang's default scheduler): an iteration that prefills runs without the decodes,
 * and waiting prompts are prefilled before decoding resumes. Every iteration here takes 10 ms whatever it holds,
 * so the times follow by counting iterations.
 */
class UnmixedBatchesTest {
    private static ReplicaConfig config(int budget, boolean mixed) {
        return new ReplicaConfig(8, budget, false, 4096, 10_000, 16, 1 << 20, 1 << 20, Double.POSITIVE_INFINITY,
                false, mixed);
    }

    private static SimulationResult run(ReplicaConfig config, WorkloadSource workload, boolean fast) {
        ReplicaSetup setup = new ReplicaSetup(config, AffineStepTimeModel.constant(0.01),
                new ContinuousBatchingScheduler());
        return new Simulation(List.of(setup), new RoundRobinRouter(), workload,
                SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anArrivalPausesTheDecodesForItsPrefill(boolean fast) {
        // Request 0 (0 s, output 100) decodes; iterations end at 0.01, 0.02, …. Request 1 (0.105 s, output 3) is
        // prefilled alone in 0.11–0.12 (first token 0.12) while request 0 waits; both decode in 0.12–0.13 and
        // 0.13–0.14, where request 1 ends. Request 0 needs one prefill and 99 decode iterations plus the one it
        // waited: it ends at 1.01 (1.00 with mixed batches).
        WorkloadSource w = ListWorkloadSource.ofRows(new double[] {0.0, 10, 100}, new double[] {0.105, 10, 3});
        SimulationResult r = run(config(2048, false), w, fast);
        RequestTable t = r.requests();
        assertThat(t.firstTokenTime(1)).isCloseTo(0.12, within(1e-9));
        assertThat(t.finishTime(1)).isCloseTo(0.14, within(1e-9));
        assertThat(t.finishTime(0)).isCloseTo(1.01, within(1e-9));
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(101);

        // Inter-token times: request 0's token after the pause came 20 ms after the one before (0.11 → 0.13);
        // its 98 other decode tokens and request 1's two took 10 ms each.
        LogHistogram itl = r.cluster().replica(0).stats().interTokenSeconds();
        assertThat(itl.count()).isEqualTo(101);
        assertThat(itl.meanSeconds()).isCloseTo((100 * 0.01 + 0.02) / 101, within(1e-12));

        SimulationResult mixed = run(config(2048, true), ListWorkloadSource.ofRows(new double[] {0.0, 10, 100},
                new double[] {0.105, 10, 3}), fast);
        assertThat(mixed.requests().finishTime(0)).isCloseTo(1.00, within(1e-9));
        assertThat(mixed.requests().firstTokenTime(1)).isCloseTo(0.12, within(1e-9));
    }

    @Test
    void decodesWaitUntilNoPromptIsLeftToPrefill() {
        // Two 3,000-token prompts arrive at 0.105 while request 0 decodes; the budget of 4,096 tokens holds one of
        // them per iteration: 0.11–0.12 and 0.12–0.13 prefill them, decoding resumes at 0.13. Request 0 waited two
        // iterations (ends 1.02); request 2's first token is at 0.13, and its next one at 0.14, with request 1's
        // (which waited 0.12 → 0.14).
        WorkloadSource w = ListWorkloadSource.ofRows(new double[] {0.0, 10, 100}, new double[] {0.105, 3000, 2},
                new double[] {0.105, 3000, 2});
        SimulationResult r = run(config(4096, false), w, true);
        RequestTable t = r.requests();
        assertThat(t.firstTokenTime(1)).isCloseTo(0.12, within(1e-9));
        assertThat(t.firstTokenTime(2)).isCloseTo(0.13, within(1e-9));
        assertThat(t.finishTime(1)).isCloseTo(0.14, within(1e-9));
        assertThat(t.finishTime(2)).isCloseTo(0.14, within(1e-9));
        assertThat(t.finishTime(0)).isCloseTo(1.02, within(1e-9));
        // ITL: request 0's token after the stall 0.11 → 0.14 (30 ms), request 1's 0.12 → 0.14 (20 ms), request 2's
        // 0.13 → 0.14 (10 ms), and request 0's other 98 decode tokens 10 ms each.
        LogHistogram itl = r.cluster().replica(0).stats().interTokenSeconds();
        assertThat(itl.count()).isEqualTo(101);
        assertThat(itl.meanSeconds()).isCloseTo((98 * 0.01 + 0.03 + 0.02 + 0.01) / 101, within(1e-12));
    }

    @Test
    void theTokenBudgetIsThePrefillsAlone() {
        // 7 decoding requests (of at most 8) and a budget of 1,000 tokens: with mixed batches a 995-token prompt
        // does not fit beside the 7 decode tokens (993 left) and waits for them to finish; unmixed it is prefilled
        // at the next boundary. The seven (0 s, prompt 10, output 50) end at 0.50 mixed; the prompt arriving at
        // 0.105 gets its first token at 0.12 unmixed, 0.51 mixed (prefilled once the decodes ended at 0.50).
        double[][] rows = new double[8][];
        for (int i = 0; i < 7; i++) {
            rows[i] = new double[] {0.0, 10, 50};
        }
        rows[7] = new double[] {0.105, 995, 2};
        SimulationResult unmixed = run(config(1000, false), ListWorkloadSource.ofRows(rows), true);
        SimulationResult mixed = run(config(1000, true), ListWorkloadSource.ofRows(rows), true);
        assertThat(unmixed.requests().firstTokenTime(7)).isCloseTo(0.12, within(1e-9));
        assertThat(mixed.requests().firstTokenTime(7)).isCloseTo(0.51, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void fastForwardEqualsSteppingBitForBitWithUnmixedBatches(long seed) {
        // Random loads that chunk, preempt and time out: the decode clock stops while the decodes wait, and a run
        // jumped over decode iterations must still give the stepped run's bytes and inter-token histogram.
        RandomScenario s = RandomScenario.draw(seed);
        ReplicaConfig c = s.config();
        ReplicaConfig unmixed = new ReplicaConfig(c.maxNumSeqs(), c.maxNumBatchedTokens(), c.chunkedPrefill(),
                c.prefillChunkTokens(), c.kvBlocks(), c.blockTokens(), c.maxContextTokens(), c.maxQueueLength(),
                c.queueTimeoutSeconds(), false, false);
        SimulationResult fast = runReplicas(unmixed, s, true);
        SimulationResult stepped = runReplicas(unmixed, s, false);
        RunFingerprint.assertBitIdentical(fast, stepped);
        for (int r = 0; r < s.replicas(); r++) {
            LogHistogram a = fast.cluster().replica(r).stats().interTokenSeconds();
            LogHistogram b = stepped.cluster().replica(r).stats().interTokenSeconds();
            assertThat(a.count()).isEqualTo(b.count());
            assertThat(a.meanSeconds()).isEqualTo(b.meanSeconds());
        }
        assertThat(fast.events()).isLessThan(stepped.events());
    }

    private static SimulationResult runReplicas(ReplicaConfig config, RandomScenario s, boolean fast) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < s.replicas(); i++) {
            setups.add(new ReplicaSetup(config, s.model(), new ContinuousBatchingScheduler()));
        }
        return new Simulation(setups, new RoundRobinRouter(), s.workload(),
                SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }
}
