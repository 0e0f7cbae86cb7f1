package io.servesim.experiments.search;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.workload.Sla;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Analytic limits of one replica, from its step-time model alone, that no simulation can beat (docs/search.md gives
 * the proof). Each bound replaces a real batch by a <em>relaxed</em> one with no more work, and rests on premises of
 * the step-time model that {@code ServiceBoundsTest} checks on the catalog, batch by batch: a real batch takes at
 * least its relaxed batch; along the relaxed batches the time does not fall as they grow. The model is not monotone
 * in everything (decode attention reads faster with more sequences; a batch with a prefill runs without CUDA graphs
 * and may be faster or slower than a decode-only one), so a relaxed decode takes the faster of both kinds.
 *
 * <p><b>Throughput.</b> Every iteration of a replica belongs to one engine (one of p virtual engines with PP) and
 * passes every stage. An iteration with b decode sequences (b ≤ B = min(max_num_seqs, KV tokens per engine / shortest
 * prompt)) takes at least t_s(b) on stage s: the faster of the <em>relaxed</em> decode batch (b sequences whose
 * contexts are all the shortest prompt) and that batch with a one-token prefill; so stage s passes at most
 * D_s = max_{b≤B} b / t_s(b) decode tokens per second. A prefill of n ≤ max_num_batched_tokens tokens takes at least
 * t_s of the relaxed prefill (n tokens, n attention pairs, one sequence, nothing cached): at most
 * P_s = max_n n / t_s(n) prompt tokens per second. (D_s is a maximum over every b: the time of the relaxed decode
 * falls where CUDA graphs stop, so no grid would do.) The KV cache caps the context an iteration reads at the K tokens
 * of an engine, and an iteration reading x context takes at least t_s(x) = min_{1≤b≤B} t_s(b sequences, context x)
 * (every b is tried: decode attention reads faster with more sequences): at most C_s = max_{x≤K} x / t_s(x) context
 * tokens per second (computed when max_num_seqs requests of mean length overfill the cache; otherwise D_s binds).
 * A request needs o − 1 decode tokens, (without prefix caching) its whole prompt, and reads at least
 * W = Σ_{j=1}^{o−1} (prompt + j − 1) context tokens over its decodes. A probe is finite, so these rates bound it
 * through its arrival span rather than a steady state ({@link #maxPassingRps}): a probe passes only when enough
 * requests meet the SLA, and each of them ends at most the longest SLA allowance after the last arrival. The
 * maxima P_s and C_s run over a geometric grid g_0 = 1 < g_1 < … < g_K = the limit: for g_k ≤ x ≤ g_{k+1}, x / t(x) ≤
 * g_{k+1} / t(g_k) because t does not fall, so max_k g_{k+1} / t(g_k) bounds the maximum from above.
 *
 * <p><b>Latency floors.</b> A request's TPOT averages its o − 1 decode iterations, each at least the least iteration
 * time (all stages and transfers, either kind) of a decode of b ≤ max_num_seqs sequences reading its prompt and at
 * least one token for each other sequence; its TTFT is at least the iteration of its whole prompt alone (or, chunked, ⌈prompt / largest
 * chunk⌉ iterations of one token). A request whose floor exceeds its SLA misses it at any load, so the goodput
 * fraction cannot exceed the share of requests whose floors meet their SLAs.
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
     * Tokens of each kind a request needs, as counts or as rates (per second).
     *
     * @param decode  decode tokens (one per sequence and decode iteration)
     * @param prompt  prompt tokens prefilled (as a rate: +∞ with prefix caching, where a cached prefix skips its prefill)
     * @param context context tokens read by decodes (as a rate: +∞ when max_num_seqs requests of mean length fit the
     *                cache, where the decode rate binds first)
     */
    public record TokenKinds(double decode, double prompt, double context) {
        /** The rates of {@code replicas} replicas alike. */
        public TokenKinds times(int replicas) {
            return new TokenKinds(replicas * decode, replicas * prompt, replicas * context);
        }

        public TokenKinds plus(TokenKinds other) {
            return new TokenKinds(decode + other.decode, prompt + other.prompt, context + other.context);
        }
    }

    /**
     * The highest arrival rate at which a probe of {@code sample} can pass on replicas processing at most {@code rates}
     * tokens per second: its good requests (at least {@code good}) arrive within span / k at k times the workload's
     * rate and end at most {@link RequestSample#longestAllowedSeconds} D later, so their least work W (of each kind)
     * must fit in rate · (span · base / λ + D): λ ≤ span · base / (W / rate − D) whenever W / rate &gt; D, and no bound
     * otherwise. +∞ when no kind bounds it.
     *
     * @param rates   tokens per second of each kind the replicas process at most
     * @param sample  the probe's requests
     * @param good    requests that must meet the SLA for the probe to pass (⌈target · n⌉)
     * @param baseRps the workload's own arrival rate, requests per second
     */
    public static double maxPassingRps(TokenKinds rates, RequestSample sample, int good, double baseRps) {
        TokenKinds work = sample.leastWork(good);
        double allowed = sample.longestAllowedSeconds();
        double spanRequests = sample.arrivalSpanSeconds() * baseRps;
        return Math.min(maxPassingRps(rates.decode(), work.decode(), allowed, spanRequests),
                Math.min(maxPassingRps(rates.prompt(), work.prompt(), allowed, spanRequests),
                        maxPassingRps(rates.context(), work.context(), allowed, spanRequests)));
    }

    private static double maxPassingRps(double rate, double work, double allowedSeconds, double spanRequests) {
        if (work <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double busySeconds = work / rate;
        return busySeconds > allowedSeconds ? spanRequests / (busySeconds - allowedSeconds) : Double.POSITIVE_INFINITY;
    }

    /**
     * The most tokens per second one replica can process: min over stages of D_s, P_s and C_s above.
     *
     * @param maxNumSeqs          sequences per iteration
     * @param maxNumBatchedTokens token budget per iteration
     * @param kvTokensPerEngine   KV cache of one engine (a replica's share per virtual engine), tokens
     * @param prefixCaching       whether cached prompt prefixes skip their prefill (then no prompt bound)
     * @param sample              the requests (their shortest prompt and mean lengths)
     */
    public TokenKinds tokenRates(int maxNumSeqs, int maxNumBatchedTokens, long kvTokensPerEngine,
                                 boolean prefixCaching, RequestSample sample) {
        int shortest = Math.max(1, sample.minPromptTokens());
        long fitting = kvTokensPerEngine / shortest;
        int batch = (int) Math.min(maxNumSeqs, fitting);
        if (batch < 1) {
            return new TokenKinds(0, 0, 0);
        }
        boolean kvBinds = kvTokensPerEngine < (long) maxNumSeqs * kvHeavyRequestTokens(sample);
        double decode = Double.POSITIVE_INFINITY;
        double prompt = Double.POSITIVE_INFINITY;
        double context = Double.POSITIVE_INFINITY;
        for (int s = 0; s < model.pipelineStages(); s++) {
            int stage = s;
            double best = 0;
            for (int b = 1; b <= batch; b++) {
                best = Math.max(best, b / fasterKind(relaxedDecode(b, (long) b * shortest), stage));
            }
            decode = Math.min(decode, best);
            if (kvBinds) {
                context = Math.min(context, maxRate(kvTokensPerEngine, x -> fastestReading(batch, x, stage)));
            }
            if (!prefixCaching) {
                prompt = Math.min(prompt, maxRate(maxNumBatchedTokens, n -> model.stageSeconds(relaxedPrefill(n), stage)));
            }
        }
        return new TokenKinds(decode, prompt, context);
    }

    /**
     * max over the grid of g_{k+1} / t(g_k) for 1 ≤ x ≤ {@code limit}: an upper bound on max_x x / t(x) for a t
     * that does not fall.
     */
    private static double maxRate(long limit, LongToDoubleFunction seconds) {
        double best = 0;
        long g = 1;
        while (true) {
            long next = g >= limit ? g : Math.min(limit, Math.max(g + 1, (long) Math.floor(g * GRID_GROWTH)));
            best = Math.max(best, next / seconds.applyAsDouble(g));
            if (g >= limit) {
                return best;
            }
            g = next;
        }
    }

    /** Mean prompt plus output tokens: the KV bound is computed when max_num_seqs such requests overfill the cache. */
    private static double kvHeavyRequestTokens(RequestSample sample) {
        return sample.meanPromptTokens() + sample.meanOutputTokens();
    }

    /**
     * The least time stage {@code stage} takes to read {@code context} KV tokens in a decode of 1 … {@code batch}
     * sequences (either kind): decode attention reads faster with more sequences, so every count is tried.
     */
    private double fastestReading(int batch, long context, int stage) {
        double least = Double.POSITIVE_INFINITY;
        for (int b = 1; b <= batch; b++) {
            least = Math.min(least, fasterKind(relaxedDecode(b, context), stage));
        }
        return least;
    }

    /** The faster of stage {@code stage} on the decode-only {@code decode} and on it with a one-token prefill. */
    private double fasterKind(BatchShape decode, int stage) {
        double alone = model.stageSeconds(decode, stage);
        return Math.min(alone, model.stageSeconds(withOneTokenPrefill(decode), stage));
    }

    /** The faster of the whole iteration on the decode-only {@code decode} and on it with a one-token prefill. */
    private double fasterKindIteration(BatchShape decode) {
        double alone = model.iterationSeconds(decode);
        return Math.min(alone, model.iterationSeconds(withOneTokenPrefill(decode)));
    }

    private static BatchShape withOneTokenPrefill(BatchShape decode) {
        decode.prefillTokens = 1;
        decode.prefillAttentionPairs = 1;
        decode.prefillContextTokens = 0;
        decode.prefillSequences = 1;
        return decode;
    }

    private BatchShape relaxedDecode(long sequences, long contextTokens) {
        return shape.clear().setDecode(Math.toIntExact(sequences), contextTokens);
    }

    private BatchShape relaxedPrefill(long tokens) {
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
     * @param maxNumSeqs          sequences per iteration (a request may decode beside up to max_num_seqs − 1 others)
     * @param maxNumBatchedTokens token budget per iteration (an unchunked prompt above it fails)
     * @param chunkedPrefill      whether prompts are split across iterations
     * @param prefillChunkTokens  largest chunk of one prompt when chunked
     * @param prefixCaching       whether a cached prefix may skip most of a prompt (then the TTFT floor is one token)
     */
    public double feasibleFraction(int maxNumSeqs, int maxNumBatchedTokens, boolean chunkedPrefill,
                                   int prefillChunkTokens, boolean prefixCaching, RequestSample sample) {
        double oneToken = model.iterationSeconds(relaxedPrefill(1));
        int largestChunk = Math.min(prefillChunkTokens, maxNumBatchedTokens);
        Map<Double, Integer> longestPromptMeetingTpot = new HashMap<>();
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
            boolean tpotMet = output <= 1 || prompt <= longestPromptMeetingTpot.computeIfAbsent(sla.tpotSeconds(),
                    tpot -> longestPromptWithin(tpot, maxNumSeqs, sample));
            if (ttftFloor <= sla.ttftSeconds() && tpotMet) {
                feasible++;
            }
        }
        return (double) feasible / sample.size();
    }

    /**
     * The longest prompt (up to the sample's longest) whose decode floor is within {@code tpotSeconds}, or −1: the
     * floor of a prompt p is min over 1 ≤ b ≤ max_num_seqs of the faster kind of an iteration decoding b sequences
     * whose contexts sum to p + b − 1 (the request's and at least one token for each other); it does not fall as p
     * grows, so a bisection finds the longest.
     */
    private int longestPromptWithin(double tpotSeconds, int maxNumSeqs, RequestSample sample) {
        int lo = -1;
        int hi = 0;
        for (int p : sample.promptTokens()) {
            hi = Math.max(hi, p);
        }
        if (decodeFloor(hi, maxNumSeqs) <= tpotSeconds) {
            return hi;
        }
        while (hi - lo > 1) {
            int mid = (int) (((long) lo + hi) >>> 1);
            if (decodeFloor(mid, maxNumSeqs) <= tpotSeconds) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private double decodeFloor(int prompt, int maxNumSeqs) {
        double least = Double.POSITIVE_INFINITY;
        for (int b = 1; b <= maxNumSeqs; b++) {
            least = Math.min(least, fasterKindIteration(relaxedDecode(b, (long) prompt + b - 1)));
        }
        return least;
    }
}
