package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPlan;
import io.servesim.core.sched.Router;

import java.util.List;

/** The scheduler parts of a run, ready for {@code new Simulation(replicas, router, workload, options)}. */
public record ReplicaLayout(List<ReplicaPlan> replicas, Router router) {
    public ReplicaLayout {
        replicas = List.copyOf(replicas);
    }
}
