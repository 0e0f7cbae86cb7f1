package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.CapacityPolicy;
import io.servesim.schedulers.batch.DynamicBatchController;
import io.servesim.schedulers.batch.DynamicBatchScheduler;
import io.servesim.schedulers.batch.LengthBins;
import io.servesim.schedulers.batch.MultiBinScheduler;
import io.servesim.schedulers.batch.StaticBatchScheduler;

/** The batching policies ServeSim ships, registered under {@link #registryName()}. */
enum BuiltInSchedulers implements SchedulerType {
    STATIC("static") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            SchedulerSpec.Static s = (SchedulerSpec.Static) spec;
            return replica -> new StaticBatchScheduler(s.rule());
        }
    },
    CONTINUOUS("continuous") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            CapacityPolicy capacity = ((SchedulerSpec.Continuous) spec).capacityPolicy();
            return capacity == CapacityPolicy.MAX_UTILIZATION ? replica -> new ContinuousBatchingScheduler()
                    : replica -> new DynamicBatchScheduler(DynamicBatchController.uncontrolled(capacity));
        }
    },
    DYNAMIC("dynamic") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            SchedulerSpec.Dynamic d = (SchedulerSpec.Dynamic) spec;
            return replica -> new DynamicBatchScheduler(d.controller(context));
        }
    },
    MULTI_BIN("multi_bin") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            SchedulerSpec.MultiBin m = (SchedulerSpec.MultiBin) spec;
            LengthBins bins = m.lengthBins(context);
            if (m.batching() instanceof SchedulerSpec.Static s) {
                return replica -> MultiBinScheduler.statically(bins, m.binPolicy(), s.rule());
            }
            SchedulerSpec.Dynamic d = (SchedulerSpec.Dynamic) m.batching();
            return replica -> MultiBinScheduler.dynamic(bins, m.binPolicy(), d.controller(context));
        }

        @Override
        public LengthBins lengthBins(SchedulerSpec spec, SchedulerContext context) {
            return ((SchedulerSpec.MultiBin) spec).lengthBins(context);
        }
    },
    PARALLEL_STREAM("parallel_stream") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            return replica -> new ContinuousBatchingScheduler();
        }

        @Override
        public Router router(SchedulerSpec spec, Router clusterRouter) {
            SchedulerSpec.ParallelStream p = (SchedulerSpec.ParallelStream) spec;
            return p.strategy().router(p.streams(), p.contextRatioThreshold());
        }

        @Override
        public ReplicaLayout layout(SchedulerSpec spec, ReplicaPool pool, Router clusterRouter, SchedulerContext context) {
            SchedulerSpec.ParallelStream p = (SchedulerSpec.ParallelStream) spec;
            return ParallelStreams.build(pool, p.streams(), p.overlapEfficiency(), p.strategy(),
                    p.contextRatioThreshold());
        }
    },
    SIMPLE("simple") {
        @Override
        public BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context) {
            return replica -> new ContinuousBatchingScheduler();
        }
    };

    private final String registryName;

    BuiltInSchedulers(String registryName) {
        this.registryName = registryName;
    }

    String registryName() {
        return registryName;
    }
}
