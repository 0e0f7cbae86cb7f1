package io.servesim.schedulers;

import io.servesim.core.engine.SimulationResult;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.testing.RunFingerprint;
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
        RandomScenario c = RandomScenario.draw(seed);
        List<Long> fast = RunFingerprint.of(run(c, spec, true));
        List<Long> stepped = RunFingerprint.of(run(c, spec, false));
        int first = RunFingerprint.firstDifference(fast, stepped);
        assertThat(first).as("%s: first differing value (request %d, field %d)", spec, first / RunFingerprint.REQUEST_FIELDS,
                first % RunFingerprint.REQUEST_FIELDS).isEqualTo(fast.size());
        assertThat(fast).isEqualTo(stepped);
    }

    private static SimulationResult run(RandomScenario c, SchedulerSpec spec, boolean fastForward) {
        WorkloadSource workload = c.workload();
        BatchSchedulerFactory factory = Scenarios.REGISTRY.batchSchedulers(spec, Scenarios.context(workload));
        return Scenarios.run(c.replicas(), c.config(), c.model(), factory, new RoundRobinRouter(), workload, fastForward);
    }
}
