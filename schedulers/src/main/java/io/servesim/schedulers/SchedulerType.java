package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.LengthBins;

import java.util.ArrayList;
import java.util.List;

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

    /** The replicas of a run: by default one per replica of the pool, each with its own scheduler. */
    default ReplicaLayout layout(SchedulerSpec spec, ReplicaPool pool, Router clusterRouter, SchedulerContext context) {
        BatchSchedulerFactory factory = factory(spec, context);
        List<ReplicaSetup> setups = new ArrayList<>(pool.replicas());
        for (int i = 0; i < pool.replicas(); i++) {
            setups.add(new ReplicaSetup(pool.config(), pool.model(i), factory.create(i)));
        }
        return new ReplicaLayout(setups, router(spec, clusterRouter));
    }
}
