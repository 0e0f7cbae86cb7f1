package io.servesim.core.sched;

/**
 * The engines of a run as routers see them: one per replica, or one per virtual engine of a pipeline-parallel
 * replica ({@link ReplicaView#deploymentReplica()} tells which replica an engine belongs to).
 */
public interface ClusterView {
    /** Engines the router chooses among. */
    int replicaCount();

    ReplicaView replica(int i);

    /** Replicas as the run's plans gave them (≤ {@link #replicaCount()}). */
    int deploymentReplicaCount();
}
