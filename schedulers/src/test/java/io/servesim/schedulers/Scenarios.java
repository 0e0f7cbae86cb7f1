package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.metrics.Sla;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeBreakdown;
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

    /** Poisson arrivals at {@code rate}; prompt and output lengths uniform in the given integer ranges. */
    public static WorkloadSource poisson(long seed, int count, double rate, int promptMin, int promptMax,
                                         int outMin, int outMax) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] time = new double[1];
        return source(count, outMin, outMax, id -> {
            time[0] += -Math.log(1 - random.nextDouble()) / rate;
            return new RequestSpec(id, time[0], random.nextInt(promptMin, promptMax + 1),
                    random.nextInt(outMin, outMax + 1), 0, -1, 0);
        });
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

    /** Every per-request value and replica counter, with doubles as raw bits. */
    public static List<Long> fingerprint(SimulationResult r) {
        List<Long> out = new ArrayList<>();
        RequestTable t = r.requests();
        for (int i = 0; i < t.size(); i++) {
            out.add(Double.doubleToRawLongBits(t.firstScheduledTime(i)));
            out.add(Double.doubleToRawLongBits(t.firstTokenTime(i)));
            out.add(Double.doubleToRawLongBits(t.finishTime(i)));
            out.add((long) t.outcome(i).ordinal());
            out.add((long) t.replica(i));
            out.add((long) t.preemptions(i));
            out.add((long) t.generatedTokens(i));
        }
        for (int i = 0; i < r.cluster().replicaCount(); i++) {
            Replica rep = r.cluster().replica(i);
            out.add(rep.iterations());
            out.add(rep.batchSequencesSum());
            out.add(Double.doubleToRawLongBits(rep.busySeconds()));
            out.add(Double.doubleToRawLongBits(rep.kvBlockSeconds()));
            out.add((long) rep.peakUsedBlocks());
            out.add(rep.preemptions());
        }
        out.add(Double.doubleToRawLongBits(r.horizonSeconds()));
        return out;
    }

    /** Index of the first differing value of two fingerprints (their common length if none). */
    public static int firstDifference(List<Long> a, List<Long> b) {
        int i = 0;
        while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /** Roofline-shaped: max of a compute and a memory term, growing with the KV read. */
    public record ContextDependentModel(double weightSeconds, double perKvTokenSeconds, double perTokenSeconds)
            implements StepTimeModel {
        @Override
        public double stageSeconds(BatchShape b) {
            double memory = weightSeconds + perKvTokenSeconds * (b.decodeContextTokens + b.prefillContextTokens);
            double compute = perTokenSeconds * b.totalTokens() + 1e-9 * b.prefillAttentionPairs;
            return Math.max(memory, compute) + 1e-4;
        }

        @Override
        public double stageTransferSeconds(BatchShape batch) {
            return 0;
        }

        @Override
        public int pipelineStages() {
            return 1;
        }

        @Override
        public StepTimeBreakdown breakdown(BatchShape batch) {
            throw new IllegalStateException("not used");
        }
    }
}
