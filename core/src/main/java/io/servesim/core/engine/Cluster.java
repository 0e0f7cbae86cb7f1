package io.servesim.core.engine;

import java.util.List;

/** The replicas of a run, as routers see them. */
public final class Cluster {
    private final Replica[] replicas;

    Cluster(List<Replica> replicas) {
        this.replicas = replicas.toArray(new Replica[0]);
    }

    public int replicaCount() {
        return replicas.length;
    }

    public Replica replica(int i) {
        return replicas[i];
    }
}
