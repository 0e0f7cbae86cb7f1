package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.LengthBins;

/**
 * For multi-bin batching across replicas: each length bin prefers its own replicas, so replicas see
 * requests of similar length. With R ≥ K replicas, bin k owns the contiguous block
 * [⌊k·R/K⌋, ⌊(k+1)·R/K⌋) and the request goes to the least loaded replica of its bin's block; with
 * R &lt; K, bins share replicas round-robin: bin k goes to replica k mod R.
 */
public final class BinAffinityRouter implements Router {
    private final LengthBins binning;

    public BinAffinityRouter(LengthBins binning) {
        this.binning = binning;
    }

    @Override
    public int route(int request, ClusterView cluster) {
        int bin = binning.binOf(request, cluster.replica(0).requests());
        int replicas = cluster.replicaCount();
        int bins = binning.count();
        if (replicas < bins) {
            return bin % replicas;
        }
        int from = (int) ((long) bin * replicas / bins);
        int to = (int) ((long) (bin + 1) * replicas / bins);
        return LeastLoadedRouter.leastLoaded(cluster, from, to);
    }
}
