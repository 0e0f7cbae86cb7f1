package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.Router;

/**
 * For a decode pool: sends each request to the replica with the most KV room once the requests it already holds
 * reach their full length, KV tokens − Σ (prompt + output) of its outstanding requests (those in its batch, queued,
 * or with their KV on the way); ties go to the lowest index. Unlike {@link LeastLoadedRouter} it weighs replicas by
 * their KV capacity, so a replica with twice the memory takes about twice the requests. O(replicas).
 */
public final class KvAwareRouter implements Router {

    @Override
    public int route(int request, ClusterView cluster) {
        int best = 0;
        long bestRoom = room(cluster.replica(0));
        for (int i = 1; i < cluster.replicaCount(); i++) {
            long room = room(cluster.replica(i));
            if (room > bestRoom) {
                bestRoom = room;
                best = i;
            }
        }
        return best;
    }

    private static long room(ReplicaView replica) {
        return (long) replica.totalKvBlocks() * replica.config().blockTokens() - replica.outstandingTokens();
    }
}
