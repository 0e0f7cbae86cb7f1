package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.Router;

import java.util.SplittableRandom;

/**
 * The power of two choices (Mitzenmacher): draw two distinct replicas at random and send the request
 * to the one with fewer outstanding tokens (the first drawn on a tie).
 */
public final class PowerOfTwoRouter implements Router {
    private final SplittableRandom random;

    public PowerOfTwoRouter(SplittableRandom random) {
        this.random = random;
    }

    @Override
    public int route(int request, ClusterView cluster) {
        int n = cluster.replicaCount();
        if (n == 1) {
            return 0;
        }
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        return cluster.replica(b).outstandingTokens() < cluster.replica(a).outstandingTokens() ? b : a;
    }
}
