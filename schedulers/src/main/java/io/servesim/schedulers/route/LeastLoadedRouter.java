package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.Router;

/**
 * Sends each request to the replica with the fewest outstanding tokens (Σ prompt + output of the
 * requests routed there and not finished); ties go to the lowest index. A linear scan: O(replicas).
 */
public final class LeastLoadedRouter implements Router {

    @Override
    public int route(int request, ClusterView cluster) {
        return leastLoaded(cluster, 0, cluster.replicaCount());
    }

    /** The least loaded of replicas [from, to); ties to the lowest index. */
    static int leastLoaded(ClusterView cluster, int from, int to) {
        int best = from;
        long bestLoad = cluster.replica(from).outstandingTokens();
        for (int i = from + 1; i < to; i++) {
            long load = cluster.replica(i).outstandingTokens();
            if (load < bestLoad) {
                bestLoad = load;
                best = i;
            }
        }
        return best;
    }
}
