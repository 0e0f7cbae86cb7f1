package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.workload.Sla;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Workloads, replica limits and runs shared by the scheduler tests. */
public final class Scenarios {
    static final List<ProfileInfo> ONE_PROFILE = List.of(new ProfileInfo("test", Sla.DEFAULT));
    static final Schedulers REGISTRY = Schedulers.builtIn();

    /** The built-in registry. */
    public static Schedulers registry() {
        return REGISTRY;
    }

    private Scenarios() {
    }

    /** Limits with 16-token blocks, a huge context window and queue, no timeout. */
    public static ReplicaConfig config(int maxSeqs, int budget, boolean chunked, int kvBlocks) {
        return new ReplicaConfig(maxSeqs, budget, chunked, 4096, kvBlocks, 16, 1 << 20, 1 << 20, Double.POSITIVE_INFINITY);
    }

    /** A context for tests: the workload's quantiles, the default TPOT deadline (100 ms), seed 1. */
    public static SchedulerContext context(WorkloadSource workload) {
        return SchedulerContext.of(workload, 1);
    }

    /** {@code count} requests at t = 0 with {@code prompt}-token prompts and outputs uniform on {1 … maxOut}. */
    public static WorkloadSource saturated(long seed, int count, int prompt, int maxOut) {
        SplittableRandom random = new SplittableRandom(seed);
        return source(count, 1, maxOut, id -> new RequestSpec(id, 0.0, prompt, random.nextInt(1, maxOut + 1), 0, -1, 0));
    }

    interface RequestMaker {
        RequestSpec make(int id);
    }

    /** A lazy source whose quantile is that of the discrete uniform on {outMin … outMax}. */
    private static WorkloadSource source(int count, int outMin, int outMax, RequestMaker maker) {
        return new WorkloadSource() {
            int next;

            @Override
            public RequestSpec next() {
                return next == count ? null : maker.make(next++);
            }

            @Override
            public List<ProfileInfo> profiles() {
                return ONE_PROFILE;
            }

            @Override
            public double outputTokensQuantile(double q) {
                return outMin - 1 + Math.ceil(q * (outMax - outMin + 1));
            }
        };
    }

    /** {@code replicas} identical replicas, each with a scheduler from {@code factory}. */
    public static SimulationResult run(int replicas, ReplicaConfig config, StepTimeModel model,
                                       BatchSchedulerFactory factory, Router router, WorkloadSource workload,
                                       boolean fastForward) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            setups.add(new ReplicaSetup(config, model, factory.create(i)));
        }
        return new Simulation(setups, router, workload, SimulationOptions.DEFAULT.withFastForward(fastForward)).run();
    }

    /** One replica with the scheduler of {@code spec} from the registry. */
    public static SimulationResult runOne(SchedulerSpec spec, ReplicaConfig config, StepTimeModel model,
                                          WorkloadSource workload) {
        ReplicaLayout layout = REGISTRY.layout(spec, new RouterSpec.RoundRobin(), new ReplicaPool(config, model, 1),
                context(workload));
        return new Simulation(layout.replicas(), layout.router(), workload, SimulationOptions.DEFAULT).run();
    }
}
