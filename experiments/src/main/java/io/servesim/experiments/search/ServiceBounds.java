package io.servesim.experiments.search;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.workload.Sla;

/**
 * Analytic limits of one replica, from its step-time model alone, that no simulation can beat (docs/search.md gives
 * the proof). Both rest on one premise of the step-time model, which {@code ServiceBoundsTest} checks on the
 * catalog: a stage's time never falls when a batch gains work (more prefill tokens, attention pairs, cached context,
 * sequences, decode sequences or decode context).
 *
 * <p><b>Throughput.</b> Every iteration of a replica belongs to one engine (one of p virtual engines with PP) and
 * passes every stage. An iteration with b decode sequences (b ≤ B = min(max_num_seqs, KV tokens per engine / shortest
 * prompt)) takes at least t_s(b) on stage s, the time of the <em>relaxed</em> decode batch of b sequences whose
 * contexts are all the shortest prompt; so stage s passes at most D_s = max_{b≤B} b / t_s(b) decode tokens per second.
 * Likewise a prefill of n ≤ max_num_batched_tokens tokens takes at least t_s of the relaxed prefill (n tokens, n
 * attention pairs, one sequence, nothing cached): at most P_s = max_n n / t_s(n) prompt tokens per second. A request
 * needs o − 1 decode tokens and (without prefix caching) its whole prompt, so a replica completes at most
 * μ = min_s min(D_s / E[o − 1], P_s / E[prompt]) requests per second. The maxima run over a geometric grid
 * g_0 = 1 < g_1 < … < g_K = B (or the token budget): for g_k ≤ x ≤ g_{k+1}, x / t(x) ≤ g_{k+1} / t(g_k) because t
 * does not fall, so max_k g_{k+1} / t(g_k) bounds the maximum from above.
 *
 * <p><b>Latency floors.</b> A request's TPOT averages its o − 1 decode iterations, each at least the iteration time
 * (all stages and transfers) of a decode of it alone with its prompt as context; its TTFT is at least the iteration
 * of its whole prompt alone (or, chunked, ⌈prompt / largest chunk⌉ iterations of one token). A request whose floor
 * exceeds its SLA misses it at any load, so the goodput fraction cannot exceed the share of requests whose floors
 * meet their SLAs.
 */
public final class ServiceBounds {
    /** Growth of the grid over batch sizes and token counts. */
    static final double GRID_GROWTH = 1.25;

    private final StepTimeModel model;
    private final BatchShape shape = new BatchShape();

    public ServiceBounds(StepTimeModel model) {
        this.model = model;
    }

    /**
     * The most requests per second one replica can complete.
     *
     * @param maxNumSeqs          sequences per iteration
     * @param maxNumBatchedTokens token budget per iteration
     * @param kvTokensPerEngine   KV cache of one engine (a replica's share per virtual engine), tokens
     * @param prefixCaching       whether cached prompt prefixes skip their prefill (then only decode bounds)
     * @param sample              the requests
     */
    public double requestsPerSecond(int maxNumSeqs, int maxNumBatchedTokens, long kvTokensPerEngine,
                                    boolean prefixCaching, RequestSample sample) {
        int shortest = Math.max(1, sample.minPromptTokens());
        long fitting = kvTokensPerEngine / shortest;
        int batch = (int) Math.min(maxNumSeqs, fitting);
        if (batch < 1) {
            return 0;
        }
        double decodeTokens = sample.meanDecodeTokens();
        double promptTokens = sample.meanPromptTokens();
        double rate = Double.POSITIVE_INFINITY;
        for (int s = 0; s < model.pipelineStages(); s++) {
            if (decodeTokens > 0) {
                rate = Math.min(rate, maxRate(batch, s, true, shortest) / decodeTokens);
            }
            if (!prefixCaching) {
                rate = Math.min(rate, maxRate(maxNumBatchedTokens, s, false, shortest) / promptTokens);
            }
        }
        return rate;
    }

    /** max over the grid of g_{k+1} / t_s(g_k): tokens per second stage s passes at most. */
    private double maxRate(int limit, int stage, boolean decode, int shortestPrompt) {
        double best = 0;
        int g = 1;
        while (true) {
            int next = g >= limit ? g : (int) Math.min(limit, Math.max(g + 1L, (long) Math.floor(g * GRID_GROWTH)));
            double seconds = model.stageSeconds(decode ? relaxedDecode(g, shortestPrompt) : relaxedPrefill(g), stage);
            best = Math.max(best, next / seconds);
            if (g >= limit) {
                return best;
            }
            g = next;
        }
    }

    private BatchShape relaxedDecode(int sequences, int contextPerSequence) {
        return shape.clear().setDecode(sequences, (long) sequences * contextPerSequence);
    }

    private BatchShape relaxedPrefill(int tokens) {
        shape.clear();
        shape.prefillTokens = tokens;
        shape.prefillAttentionPairs = tokens;
        shape.prefillSequences = 1;
        return shape;
    }

    /**
     * The share of {@code sample}'s requests whose TTFT and TPOT floors meet their SLAs: an upper bound on the goodput
     * fraction at any load.
     *
     * @param maxNumBatchedTokens token budget per iteration (an unchunked prompt above it fails)
     * @param chunkedPrefill      whether prompts are split across iterations
     * @param prefillChunkTokens  largest chunk of one prompt when chunked
     * @param prefixCaching       whether a cached prefix may skip most of a prompt (then the TTFT floor is one token)
     */
    public double feasibleFraction(int maxNumBatchedTokens, boolean chunkedPrefill, int prefillChunkTokens,
                                   boolean prefixCaching, RequestSample sample) {
        double oneToken = model.iterationSeconds(relaxedPrefill(1));
        int largestChunk = Math.min(prefillChunkTokens, maxNumBatchedTokens);
        int feasible = 0;
        for (int i = 0; i < sample.size(); i++) {
            int prompt = sample.promptTokens()[i];
            int output = sample.outputTokens()[i];
            Sla sla = sample.slas()[i];
            double ttftFloor;
            if (prefixCaching) {
                ttftFloor = oneToken;
            } else if (chunkedPrefill) {
                ttftFloor = Math.ceil((double) prompt / largestChunk) * oneToken;
            } else if (prompt > maxNumBatchedTokens) {
                continue;
            } else {
                ttftFloor = model.iterationSeconds(shape.clear().addPrefillChunk(prompt, 0));
            }
            boolean tpotMet = output <= 1
                    || model.iterationSeconds(shape.clear().setDecode(1, prompt)) <= sla.tpotSeconds();
            if (ttftFloor <= sla.ttftSeconds() && tpotMet) {
                feasible++;
            }
        }
        return (double) feasible / sample.size();
    }
}
