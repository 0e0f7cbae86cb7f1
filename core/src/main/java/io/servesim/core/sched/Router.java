package io.servesim.core.sched;

/** Cluster-level policy: picks the replica for each arriving request. One instance per run. */
public interface Router {

    /** The replica index in [0, cluster.replicaCount()) for {@code request}. */
    int route(int request, ClusterView cluster);
}
