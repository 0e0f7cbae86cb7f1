package io.servesim.core.metrics;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.WorkloadSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * Queueing-theory runs for metric tests: Poisson arrivals, prompts of one token, one replica whose every
 * iteration takes the same time (a prefill of one token produces the first output token, so a request of k output
 * tokens holds the replica for exactly k iterations).
 */
final class QueueingRuns {
    /** Seconds per iteration. */
    static final double ITERATION_SECONDS = 0.01;

    private QueueingRuns() {
    }

    /** Limits with {@code maxNumSeqs} slots, a queue of {@code maxQueueLength} and ample KV memory. */
    static ReplicaConfig limits(int maxNumSeqs, int maxQueueLength) {
        return new ReplicaConfig(maxNumSeqs, Math.max(2048, maxNumSeqs), false, 4096, 1 << 20, 16, 1 << 20,
                maxQueueLength, Double.POSITIVE_INFINITY);
    }

    /** Output lengths geometric on {1, 2, …} with mean {@code meanTokens}: P(k) = (1 − p)^(k−1) p, p = 1/mean. */
    static ToIntFunction<SplittableRandom> geometric(double meanTokens) {
        double logKeep = Math.log(1 - 1 / meanTokens);
        return random -> Math.max(1, (int) Math.ceil(Math.log(1 - random.nextDouble()) / logKeep));
    }

    static ToIntFunction<SplittableRandom> fixed(int tokens) {
        return random -> tokens;
    }

    /**
     * A single-use source of {@code count} Poisson arrivals at {@code ratePerSecond}, each drawing its output
     * length and then its profile (uniformly among {@code profiles}).
     */
    static WorkloadSource poisson(long seed, int count, double ratePerSecond, ToIntFunction<SplittableRandom> output,
                                  List<ProfileInfo> profiles) {
        return TestWorkloads.poisson(seed, count, ratePerSecond, random -> 1, output, profiles, q -> 1);
    }

    static SimulationResult run(ReplicaConfig limits, WorkloadSource workload, double horizonSeconds) {
        return run(limits, AffineStepTimeModel.constant(ITERATION_SECONDS), workload, horizonSeconds);
    }

    static SimulationResult run(ReplicaConfig limits, StepTimeModel model, WorkloadSource workload,
                                double horizonSeconds) {
        ReplicaSetup setup = new ReplicaSetup(limits, model, new ContinuousBatchingScheduler());
        return new Simulation(List.of(setup), new RoundRobinRouter(), workload,
                new SimulationOptions(horizonSeconds, true)).run();
    }

    static SimulationResult run(ReplicaConfig limits, WorkloadSource workload) {
        return run(limits, workload, Double.POSITIVE_INFINITY);
    }
}
