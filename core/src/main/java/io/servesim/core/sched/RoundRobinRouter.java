package io.servesim.core.sched;

/** Sends request i to replica i mod n, whatever their load. */
public final class RoundRobinRouter implements Router {
    private int next;

    @Override
    public int route(int request, ClusterView cluster) {
        int replica = next;
        next = (next + 1) % cluster.replicaCount();
        return replica;
    }
}
