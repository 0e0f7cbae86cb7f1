package io.servesim.core.engine;

import io.servesim.core.sched.ClusterView;

import java.util.List;

/**
 * The engines of a run, as routers see them: one per replica, or one per virtual engine of a pipeline-parallel
 * replica ({@link Replica#deploymentReplica()} tells which replica an engine belongs to).
 */
public final class Cluster implements ClusterView {
    private final Replica[] replicas;
    private final int deploymentReplicas;

    Cluster(List<Replica> replicas, int deploymentReplicas) {
        this.replicas = replicas.toArray(new Replica[0]);
        this.deploymentReplicas = deploymentReplicas;
    }

    /** Engines the router chooses among. */
    @Override
    public int replicaCount() {
        return replicas.length;
    }

    @Override
    public Replica replica(int i) {
        return replicas[i];
    }

    /** Replicas as the run's list of {@link ReplicaPlan}s gave them (≤ {@link #replicaCount()}). */
    @Override
    public int deploymentReplicaCount() {
        return deploymentReplicas;
    }
}
