package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.Router;

/**
 * Session affinity: every turn of a session goes to the replica its first turn went to, where the session's history
 * is cached; a first turn, or a request without a session, goes to the least loaded replica. The router keeps its
 * own record of where it sent each session (it does not read the replicas' caches).
 */
public final class SessionAffinityRouter implements Router {
    private final LongIntTable replicaOfSession = new LongIntTable();

    @Override
    public int route(int request, ClusterView cluster) {
        long session = cluster.replica(0).requests().sessionId(request);
        if (session < 0) {
            return LeastLoadedRouter.leastLoaded(cluster, 0, cluster.replicaCount());
        }
        int replica = replicaOfSession.get(session);
        if (replica == LongIntTable.ABSENT) {
            replica = LeastLoadedRouter.leastLoaded(cluster, 0, cluster.replicaCount());
            replicaOfSession.put(session, replica);
        }
        return replica;
    }
}
