package io.servesim.core.sched;

import io.servesim.core.engine.Cluster;

/** Cluster-level policy: picks the replica for each arriving request. One instance per run. */
public interface Router {

    /** The replica index in [0, cluster.replicaCount()) for {@code request}. */
    int route(int request, Cluster cluster);
}
