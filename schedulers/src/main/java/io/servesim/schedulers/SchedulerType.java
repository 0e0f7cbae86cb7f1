package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.LengthBins;


/** A batching policy in the registry: turns its {@link SchedulerSpec} into the scheduler parts of a run. */
public interface SchedulerType {

    /** Makes a fresh scheduler per replica for {@code spec}. */
    BatchSchedulerFactory factory(SchedulerSpec spec, SchedulerContext context);

    /** The router arrivals go through: the cluster router, unless the policy brings its own. */
    default Router router(SchedulerSpec spec, Router clusterRouter) {
        return clusterRouter;
    }

    /** The length bins the policy sorts requests into, for routers that route by bin; null if none. */
    default LengthBins lengthBins(SchedulerSpec spec, SchedulerContext context) {
        return null;
    }

    /** The replicas of a run: by default those of the pool (pipelines included), each engine with its own scheduler. */
    default ReplicaLayout layout(SchedulerSpec spec, ReplicaPool pool, Router clusterRouter, SchedulerContext context) {
        return new ReplicaLayout(pool.plans(factory(spec, context)), router(spec, clusterRouter));
    }
}
