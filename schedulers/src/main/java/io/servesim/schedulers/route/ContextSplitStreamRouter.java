package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.RequestView;
import io.servesim.core.sched.Router;

/**
 * The {@code smart} stream router of parallel-stream serving: separates context-heavy requests
 * (prompt / output &gt; a threshold) from generation-heavy ones onto different streams, then balances
 * by outstanding tokens within each group. Replicas are laid out GPU by GPU, {@code streamsPerGpu}
 * streams each; on every GPU streams 0 … ⌊N/2⌋−1 take context-heavy requests and the others
 * generation-heavy ones (with N = 1 the single stream takes both).
 */
public final class ContextSplitStreamRouter implements Router {
    private final int streamsPerGpu;
    private final double contextRatioThreshold;

    public ContextSplitStreamRouter(int streamsPerGpu, double contextRatioThreshold) {
        this.streamsPerGpu = streamsPerGpu;
        this.contextRatioThreshold = contextRatioThreshold;
    }

    /** Whether {@code request} counts as context-heavy. */
    public boolean contextHeavy(int request, RequestView requests) {
        return requests.promptTokens(request) > contextRatioThreshold * requests.outputTokens(request);
    }

    @Override
    public int route(int request, ClusterView cluster) {
        int contextStreams = Math.max(1, streamsPerGpu / 2);
        boolean context = contextHeavy(request, cluster.replica(0).requests());
        int first = context || streamsPerGpu == 1 ? 0 : contextStreams;
        int last = context && streamsPerGpu > 1 ? contextStreams : streamsPerGpu;
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        for (int gpu = 0; gpu < cluster.replicaCount(); gpu += streamsPerGpu) {
            int candidate = LeastLoadedRouter.leastLoaded(cluster, gpu + first, gpu + last);
            long load = cluster.replica(candidate).outstandingTokens();
            if (load < bestLoad) {
                bestLoad = load;
                best = candidate;
            }
        }
        return best;
    }
}
