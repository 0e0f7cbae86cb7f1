package io.servesim.schedulers.route;

import io.servesim.core.model.BatchShape;
import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.Router;
import io.servesim.core.sched.ServingLimits;

/**
 * For replicas of different speeds (GPU types or layouts mixed in one deployment): sends each request to the replica
 * that would be done with its outstanding work, this request included, first — the shortest-expected-delay rule for
 * heterogeneous servers — by tokens:
 *
 * <pre>  replica = argmin_i (outstanding tokens_i + prompt + output) / μ_i</pre>
 *
 * <p>μ_i is the replica's service rate in tokens per second, from its own step-time model: the token budget divided by
 * the time of one {@linkplain #referenceBatch reference iteration}, a full chunked-prefill iteration as a loaded replica
 * runs it. On equal replicas it is {@link LeastLoadedRouter}; a replica twice as fast takes about twice the tokens.
 * Ties go to the lowest index. The rates are computed on the first request; a request costs O(replicas), no
 * allocation.
 */
public final class WeightedLeastLoadedRouter implements Router {
    /** Decoding sequences of the reference iteration (at most max_num_seqs and half the token budget). */
    public static final int REFERENCE_DECODES = 64;
    /** Context of each decoding sequence of the reference iteration, tokens. */
    public static final int REFERENCE_CONTEXT_TOKENS = 1024;

    private double[] secondsPerToken;

    @Override
    public int route(int request, ClusterView cluster) {
        int replicas = cluster.replicaCount();
        if (secondsPerToken == null || secondsPerToken.length != replicas) {
            secondsPerToken = new double[replicas];
            for (int i = 0; i < replicas; i++) {
                secondsPerToken[i] = 1 / serviceRateTokensPerSecond(cluster.replica(i));
            }
        }
        ReplicaView first = cluster.replica(0);
        long tokens = first.requests().promptTokens(request) + (long) first.requests().outputTokens(request);
        int best = 0;
        double bestDelay = (first.outstandingTokens() + tokens) * secondsPerToken[0];
        for (int i = 1; i < replicas; i++) {
            double delay = (cluster.replica(i).outstandingTokens() + tokens) * secondsPerToken[i];
            if (delay < bestDelay) {
                bestDelay = delay;
                best = i;
            }
        }
        return best;
    }

    /** μ of {@code replica}: its token budget over the time its step-time model gives the reference iteration. */
    public static double serviceRateTokensPerSecond(ReplicaView replica) {
        ServingLimits limits = replica.config();
        return limits.maxNumBatchedTokens() / replica.stepTimeModel().stageSeconds(referenceBatch(limits));
    }

    /**
     * The reference iteration: D = min({@value #REFERENCE_DECODES}, max_num_seqs, budget / 2) decoding sequences of
     * {@value #REFERENCE_CONTEXT_TOKENS} tokens of context each, and one prompt chunk of the rest of the token budget
     * (budget − D tokens, nothing cached) — both phases, as a replica under load runs them with chunked prefill.
     */
    static BatchShape referenceBatch(ServingLimits limits) {
        int budget = limits.maxNumBatchedTokens();
        int decodes = Math.min(REFERENCE_DECODES, Math.min(limits.maxNumSeqs(), budget / 2));
        BatchShape batch = new BatchShape().setDecode(decodes, (long) decodes * REFERENCE_CONTEXT_TOKENS);
        return budget - decodes > 0 ? batch.addPrefillChunk(budget - decodes, 0) : batch;
    }
}
