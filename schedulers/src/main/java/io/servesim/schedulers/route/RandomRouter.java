package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.Router;

import java.util.SplittableRandom;

/** Sends each request to a uniformly random replica. */
public final class RandomRouter implements Router {
    private final SplittableRandom random;

    public RandomRouter(SplittableRandom random) {
        this.random = random;
    }

    @Override
    public int route(int request, ClusterView cluster) {
        return random.nextInt(cluster.replicaCount());
    }
}
