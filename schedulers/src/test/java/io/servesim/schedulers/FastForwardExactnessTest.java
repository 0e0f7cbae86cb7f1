package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.batch.BinSelectionPolicy;
import io.servesim.schedulers.batch.CapacityPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine runs decode iterations back to back between the boundaries a scheduler can act on; each
 * scheduler here must give, bit for bit, what posting one event per iteration gives, on random
 * scenarios with chunking, preemption, timeouts, queue limits and several replicas.
 */
class FastForwardExactnessTest {

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void staticBatching(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        check(seed, new SchedulerSpec.Static(1 + random.nextInt(16), random.nextDouble() * 2));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24})
    void dynamicBatching(long seed) {
        check(seed, randomDynamic(new SplittableRandom(seed)));
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void multiBinBatchingWithFourBinsAndNoisyPredictions(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BinSelectionPolicy policy = BinSelectionPolicy.values()[random.nextInt(3)];
        SchedulerSpec batching = random.nextBoolean() ? randomDynamic(random)
                : new SchedulerSpec.Static(1 + random.nextInt(16), random.nextDouble() * 2);
        check(seed, new SchedulerSpec.MultiBin(4, SchedulerSpec.Predictor.NOISY,
                random.nextBoolean() ? SchedulerSpec.Noise.GAUSSIAN : SchedulerSpec.Noise.UNIFORM, 0.4, policy, batching));
    }

    private static SchedulerSpec.Dynamic randomDynamic(SplittableRandom random) {
        return new SchedulerSpec.Dynamic(random.nextBoolean() ? CapacityPolicy.MAX_UTILIZATION : CapacityPolicy.GUARANTEED_NO_EVICT,
                random.nextBoolean(), 0.5 + random.nextDouble() * 0.5, 0.5 + random.nextDouble() * 0.45,
                true, 0.05 + random.nextDouble() * 0.2, 1 + random.nextInt(4), random.nextDouble() * 2,
                0.3 + random.nextDouble() * 0.7);
    }

    private static void check(long seed, SchedulerSpec spec) {
        SplittableRandom random = new SplittableRandom(seed);
        int replicas = 1 + random.nextInt(3);
        boolean chunked = random.nextBoolean();
        int maxSeqs = 4 + random.nextInt(60);
        int budget = Math.max(maxSeqs, 256 + random.nextInt(4000));
        int blocks = 40 + random.nextInt(400);
        double timeout = random.nextBoolean() ? Double.POSITIVE_INFINITY : 2 + random.nextDouble() * 20;
        int queueLimit = random.nextBoolean() ? 1 << 20 : 20 + random.nextInt(200);
        ReplicaConfig config = new ReplicaConfig(maxSeqs, budget, chunked, 64 + random.nextInt(1024), blocks, 16,
                4096, queueLimit, timeout);
        StepTimeModel model = new ContextDependentModel(0.004 + random.nextDouble() * 0.01,
                1e-7 * random.nextDouble(), 2e-5 * random.nextDouble());
        double rate = 5 + random.nextDouble() * 80;
        long workloadSeed = random.nextLong();

        List<Long> fast = RunFingerprint.of(run(replicas, config, model, spec, workloadSeed, rate, true));
        List<Long> stepped = RunFingerprint.of(run(replicas, config, model, spec, workloadSeed, rate, false));
        int first = RunFingerprint.firstDifference(fast, stepped);
        assertThat(first).as("%s: first differing value (request %d, field %d)", spec, first / 7, first % 7)
                .isEqualTo(fast.size());
        assertThat(fast).isEqualTo(stepped);
    }

    private static SimulationResult run(int replicas, ReplicaConfig config, StepTimeModel model, SchedulerSpec spec,
                                        long workloadSeed, double rate, boolean fastForward) {
        WorkloadSource workload = TestWorkloads.poisson(workloadSeed, 1500, rate, 1, 900, 1, 400);
        BatchSchedulerFactory factory = Scenarios.REGISTRY.batchSchedulers(spec, Scenarios.context(workload));
        return Scenarios.run(replicas, config, model, factory, new RoundRobinRouter(), workload, fastForward);
    }
}
