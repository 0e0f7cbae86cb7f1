package io.servesim.schedulers;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.batch.CapacityPolicy;
import io.servesim.schedulers.batch.DynamicBatchController;
import io.servesim.schedulers.batch.DynamicBatchScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Continuous, dynamic and capacity-policy behaviour, through the registry. */
class SchedulingScenariosTest {
    private static final AffineStepTimeModel TEN_MS = AffineStepTimeModel.constant(0.01);

    private static SchedulerSpec.Dynamic dynamic(CapacityPolicy capacity, boolean memory, double fraction,
                                                 boolean sla, double headroom) {
        return new SchedulerSpec.Dynamic(capacity, memory, fraction, null, sla, headroom, null, null, null);
    }

    @Test
    void continuousBatchingAdmitsAnArrivalMidFlight() {
        // r0: output 100, iterations end at 0.01, 0.02, …; r1 arrives at 0.105 and joins at the
        // boundary 0.11, first token 0.12, its 2 decodes end 0.14; r0 still ends at 1.00.
        SimulationResult r = Scenarios.runOne(new SchedulerSpec.Continuous(null), Scenarios.config(8, 2048, false, 1000),
                TEN_MS, ListWorkloadSource.ofRows(new double[] {0.0, 10, 100}, new double[] {0.105, 10, 3}));
        RequestTable t = r.requests();
        assertThat(t.firstScheduledTime(1)).isCloseTo(0.11, within(1e-9));
        assertThat(t.firstTokenTime(1)).isCloseTo(0.12, within(1e-9));
        assertThat(t.finishTime(1)).isCloseTo(0.14, within(1e-9));
        assertThat(t.finishTime(0)).isCloseTo(1.00, within(1e-9));
    }

    @Test
    void chunkedPrefillCompletesPromptLargerThanTokenBudget() {
        // 12,510-token prompt, budget 4,096: chunks 4096, 4096, 4096, 222 → first token after 4
        // iterations (0.04), the second token at 0.05. Without chunking it exceeds the budget.
        for (SchedulerSpec spec : new SchedulerSpec[] {new SchedulerSpec.Continuous(null), SchedulerSpec.Dynamic.defaults()}) {
            WorkloadSource chunkedWorkload = ListWorkloadSource.ofRows(new double[] {0.0, 12510, 2});
            SimulationResult chunked = Scenarios.runOne(spec, Scenarios.config(8, 4096, true, 10_000), TEN_MS, chunkedWorkload);
            assertThat(chunked.requests().outcome(0)).isEqualTo(Outcome.COMPLETED);
            assertThat(chunked.requests().firstTokenTime(0)).isCloseTo(0.04, within(1e-12));
            assertThat(chunked.cluster().replica(0).stats().iterations()).isEqualTo(5);

            SimulationResult whole = Scenarios.runOne(spec, Scenarios.config(8, 4096, false, 10_000), TEN_MS,
                    ListWorkloadSource.ofRows(new double[] {0.0, 12510, 2}));
            assertThat(whole.requests().outcome(0)).isEqualTo(Outcome.EXCEEDS_TOKEN_BUDGET);
        }
    }

    @Test
    void preemptionFreesAndRecomputesUnderMaxUtilization() {
        // 8 blocks of 16 tokens. Two requests of 16-token prompts and 60 outputs need 5 blocks each
        // by the end: 10 > 8, so the later admitted is preempted, recomputed after the first completes.
        SimulationResult r = Scenarios.runOne(new SchedulerSpec.Continuous(CapacityPolicy.MAX_UTILIZATION),
                Scenarios.config(8, 2048, false, 8), TEN_MS, twoLongRequests());
        assertThat(r.requests().preemptions(1)).isEqualTo(1);
        assertThat(r.requests().outcome(1)).isEqualTo(Outcome.COMPLETED);
        assertThat(r.requests().generatedTokens(1)).isEqualTo(60);
        assertThat(r.cluster().replica(0).stats().preemptions()).isEqualTo(1);
    }

    @Test
    void guaranteedNoEvictNeverPreemptsOnTheSameScenario() {
        // Each request is promised blocks(16 + 60) = 5 of the 8 blocks, so r1 waits for r0:
        // r0 runs 0 → 0.60 (1 prefill + 59 decodes), r1 runs 0.60 → 1.20.
        for (SchedulerSpec spec : new SchedulerSpec[] {new SchedulerSpec.Continuous(CapacityPolicy.GUARANTEED_NO_EVICT),
                dynamic(CapacityPolicy.GUARANTEED_NO_EVICT, true, 1.0, true, 1.0),
                new SchedulerSpec.MultiBin(2, null, null, null, null,
                        dynamic(CapacityPolicy.GUARANTEED_NO_EVICT, false, 1.0, false, 1.0))}) {
            SimulationResult r = Scenarios.runOne(spec, Scenarios.config(8, 2048, false, 8), TEN_MS, twoLongRequests());
            assertThat(r.cluster().replica(0).stats().preemptions()).as(spec.typeName()).isZero();
            assertThat(r.requests().finishTime(0)).isCloseTo(0.60, within(1e-9));
            assertThat(r.requests().firstScheduledTime(1)).isCloseTo(0.60, within(1e-9));
            assertThat(r.requests().finishTime(1)).isCloseTo(1.20, within(1e-9));
        }
    }

    private static WorkloadSource twoLongRequests() {
        return ListWorkloadSource.ofRows(new double[] {0.0, 16, 60}, new double[] {0.0, 16, 60});
    }

    @Test
    void slaControllerKeepsThePredictedIterationUnderTheTarget() {
        // Iteration = 10 ms + 1 ms per decoding sequence; TPOT 100 ms × headroom 0.205 → τ = 20.5 ms, so
        // at most 10 sequences (10 + 10 = 20 ms; 10 + 11 = 21 ms for 11). All twenty arrive at t=0 and are
        // scheduled together: r0…r9 start at t=0; r10 waits until r0 (100 tokens) completes.
        SimulationResult r = Scenarios.runOne(dynamic(CapacityPolicy.MAX_UTILIZATION, false, 1.0, true, 0.205),
                Scenarios.config(64, 4096, false, 100_000), new AffineStepTimeModel(0.01, 0, 0.001),
                sameRequests(20, 10, 100));
        RequestTable t = r.requests();
        assertThat(t.firstScheduledTime(9)).isCloseTo(0.0, within(1e-12));
        assertThat(t.firstScheduledTime(10)).isGreaterThanOrEqualTo(t.finishTime(0));
    }

    @Test
    void memoryControllerKeepsExpectedNeedUnderTheFraction() {
        // 100 blocks × 16 = 1,600 KV tokens, η = 0.5 → 800; each request needs 10 + Q(0.9) = 10 + 100
        // = 110 tokens → 7 fit (770) and start together at t=0, the 8th (880) waits for a completion.
        SimulationResult r = Scenarios.runOne(dynamic(CapacityPolicy.MAX_UTILIZATION, true, 0.5, false, 1.0),
                Scenarios.config(64, 4096, false, 100), TEN_MS, sameRequests(20, 10, 100));
        RequestTable t = r.requests();
        assertThat(t.firstScheduledTime(6)).isCloseTo(0.0, within(1e-12));
        assertThat(t.firstScheduledTime(7)).isGreaterThanOrEqualTo(t.finishTime(0));
        assertThat(r.cluster().replica(0).stats().preemptions()).isZero();
    }

    private static WorkloadSource sameRequests(int count, int prompt, int output) {
        double[][] rows = new double[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = new double[] {0.0, prompt, output};
        }
        return ListWorkloadSource.ofRows(rows);
    }

    @Test
    void dynamicWithBothControllersOffIsCoreContinuousBatching() {
        ReplicaConfig config = new ReplicaConfig(24, 1024, true, 256, 120, 16, 4096, 300, 6.0);
        var model = new ContextDependentModel(0.006, 5e-8, 1e-5);
        SimulationResult core = Scenarios.run(2, config, model, i -> new ContinuousBatchingScheduler(),
                new RoundRobinRouter(), TestWorkloads.poisson(5, 3000, 60, 1, 700, 1, 300), true);
        SimulationResult ours = Scenarios.run(2, config, model,
                i -> new DynamicBatchScheduler(DynamicBatchController.uncontrolled(CapacityPolicy.MAX_UTILIZATION)),
                new RoundRobinRouter(), TestWorkloads.poisson(5, 3000, 60, 1, 700, 1, 300), true);
        assertThat(core.cluster().replica(0).stats().preemptions()).isPositive();
        assertThat(RunFingerprint.of(ours)).isEqualTo(RunFingerprint.of(core));
    }
}
