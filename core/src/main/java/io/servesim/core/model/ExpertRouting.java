package io.servesim.core.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the tokens of one iteration spread over the experts of an MoE layer, in closed form: how many distinct experts
 * T tokens touch (whose weights the layer must read), and how much of that work lands on the busiest of the expert
 * parallel ranks. Pure math; {@code docs/model.md} states the equations and {@code ExpertRoutingTest} checks them
 * against Monte Carlo draws.
 *
 * <p><b>Routing.</b> Each token picks k of the E experts. Expert e is picked by a token with probability p_e
 * (Σ p_e = k, p_e ≤ 1), tokens independently. Uniform routing has p_e = k/E. The skew s ≥ 0 makes popularity follow
 * a Zipf law: with experts ranked by popularity, p_e = min(1, c · (e + 1)^−s), c chosen so that Σ p_e = k (the
 * experts capped at 1 are picked by every token). s = 0 is uniform; s = 1 gives the most popular of 8 experts about
 * 2.7 times the share of the median one.
 *
 * <p><b>Distinct experts</b> touched by T tokens, in expectation (exact for any routing with these marginals):
 * <pre>
 *   D(T) = Σ_e 1 − (1 − p_e)^T          = E · (1 − (1 − k/E)^T) for uniform routing
 * </pre>
 *
 * <p><b>Expert parallelism.</b> The experts are spread over n ranks, popularity rank e on rank e mod n (a placement
 * that spreads the popular experts, as a balanced static placement does). The layer waits for its busiest rank:
 * <ul>
 *   <li>token-expert pairs on the busiest rank: a · T with a = max_r Σ_{e on r} p_e (= k/n uniform); the
 *       <em>imbalance</em> λ = a · n / k ≥ 1 is how much more than an even share it gets;</li>
 *   <li>distinct experts on the busiest rank, E[max_r D_r(T)], approximated by treating the m = E/n experts of
 *       rank r as independent, each touched with the rank's mean probability π̄_r = mean_e (1 − (1 − p_e)^T):
 *       E[max_r D_r] ≈ Σ_{j=1..m} (1 − Π_r F_r(j − 1)) with F_r the Binomial(m, π̄_r) distribution function, and at
 *       least ⌈k/n⌉ (one token's k experts put at least that many on one rank). With n = 1 this is D(T) exactly.</li>
 * </ul>
 * The busiest rank's experts are tabulated once per T up to the T where every expert is touched with certainty (to
 * 1e−12), so looking one up in an iteration costs an array read.
 */
public final class ExpertRouting {
    /** Largest T tabulated; larger iterations that still miss experts (extreme skew) are computed directly. */
    static final int MAX_TABULATED_TOKENS = 1 << 14;
    private static final double CERTAIN = 1e-12;

    private final int experts;
    private final int perToken;
    private final int ranks;
    private final double skew;
    private final double[] inclusion;
    private final double[] logMiss;
    private final double busiestRankPairsPerToken;
    private final double[] busiestRankExperts;
    private final long saturationTokens;

    /**
     * @param experts  E
     * @param perToken k, in [1, E]
     * @param skew     s ≥ 0 (0 = uniform)
     * @param ranks    n expert-parallel ranks, dividing E
     */
    /**
     * The routing of E experts, k per token, skew s over n ranks, built once per JVM and shared: it is immutable, and
     * its table of E[max_r D_r(T)] (up to {@value #MAX_TABULATED_TOKENS} tokens) costs tens of milliseconds to build,
     * more than a small run's whole simulation (a replay of many measured rows builds the same few routings again and
     * again).
     */
    public static ExpertRouting of(int experts, int perToken, double skew, int ranks) {
        return BUILT.computeIfAbsent(new Key(experts, perToken, skew, ranks),
                key -> new ExpertRouting(experts, perToken, skew, ranks));
    }

    private record Key(int experts, int perToken, double skew, int ranks) {
    }

    private static final Map<Key, ExpertRouting> BUILT = new ConcurrentHashMap<>();

    ExpertRouting(int experts, int perToken, double skew, int ranks) {
        if (ranks < 1 || experts % ranks != 0) {
            throw new IllegalArgumentException("expert-parallel ranks " + ranks + " must divide the experts " + experts);
        }
        this.experts = experts;
        this.perToken = perToken;
        this.ranks = ranks;
        this.skew = skew;
        this.inclusion = inclusionProbabilities(experts, perToken, skew);
        this.logMiss = new double[experts];
        double smallest = 1;
        for (int e = 0; e < experts; e++) {
            logMiss[e] = Math.log1p(-inclusion[e]);
            smallest = Math.min(smallest, inclusion[e]);
        }
        double busiest = 0;
        for (int r = 0; r < ranks; r++) {
            double sum = 0;
            for (int e = r; e < experts; e += ranks) {
                sum += inclusion[e];
            }
            busiest = Math.max(busiest, sum);
        }
        this.busiestRankPairsPerToken = busiest;
        this.saturationTokens = smallest >= 1 ? 1 : (long) Math.ceil(Math.log(CERTAIN) / Math.log1p(-smallest));
        int tabulated = (int) Math.min(saturationTokens, MAX_TABULATED_TOKENS);
        this.busiestRankExperts = new double[tabulated + 1];
        double[] rankProbability = new double[ranks];
        for (int t = 1; t <= tabulated; t++) {
            busiestRankExperts[t] = computeBusiestRankExperts(t, rankProbability);
        }
    }

    /** Uniform routing, E · (1 − (1 − k/E)^T): the expected distinct experts T tokens touch. */
    public static double distinctExperts(int experts, int perToken, double tokens) {
        return experts * -Math.expm1(tokens * Math.log1p(-(double) perToken / experts));
    }

    /**
     * The probabilities p_e (descending) that a token picks expert e: min(1, c · (e + 1)^−s) with Σ p_e = k.
     */
    public static double[] inclusionProbabilities(int experts, int perToken, double skew) {
        if (experts < 1 || perToken < 1 || perToken > experts || !(skew >= 0)) {
            throw new IllegalArgumentException("need 1 <= k <= E and skew >= 0, got E " + experts + ", k " + perToken
                    + ", skew " + skew);
        }
        double[] weight = new double[experts];
        for (int e = 0; e < experts; e++) {
            weight[e] = Math.pow(e + 1, -skew);
        }
        double[] p = new double[experts];
        for (int capped = 0; capped < perToken; capped++) {
            double rest = 0;
            for (int e = capped; e < experts; e++) {
                rest += weight[e];
            }
            double scale = (perToken - capped) / rest;
            if (scale * weight[capped] <= 1) {
                for (int e = 0; e < experts; e++) {
                    p[e] = e < capped ? 1 : scale * weight[e];
                }
                return p;
            }
        }
        java.util.Arrays.fill(p, 0, perToken, 1.0);
        return p;
    }

    /** Expected distinct experts T tokens touch, D(T) = Σ_e 1 − (1 − p_e)^T (all ranks together). */
    public double distinctExperts(long tokens) {
        if (tokens <= 0) {
            return 0;
        }
        double sum = 0;
        for (double log : logMiss) {
            sum -= Math.expm1(tokens * log);
        }
        return sum;
    }

    /** Expected distinct experts on the busiest rank, E[max_r D_r(T)] (tabulated; D(T) when there is one rank). */
    public double busiestRankExperts(long tokens) {
        if (tokens <= 0) {
            return 0;
        }
        if (tokens < busiestRankExperts.length) {
            return busiestRankExperts[(int) tokens];
        }
        if (tokens >= saturationTokens) {
            return (double) experts / ranks;
        }
        return computeBusiestRankExperts(tokens, new double[ranks]);
    }

    /** Token-expert pairs per token on the busiest rank, a = max_r Σ_{e on r} p_e (k/n for uniform routing). */
    public double busiestRankPairsPerToken() {
        return busiestRankPairsPerToken;
    }

    /** Load imbalance λ = a · n / k: the busiest rank's pairs over an even share (1 for uniform routing). */
    public double imbalance() {
        return busiestRankPairsPerToken * ranks / perToken;
    }

    public int experts() {
        return experts;
    }

    public int perToken() {
        return perToken;
    }

    public int ranks() {
        return ranks;
    }

    public double skew() {
        return skew;
    }

    private double computeBusiestRankExperts(long tokens, double[] scratch) {
        if (ranks == 1) {
            return distinctExperts(tokens);
        }
        int perRank = experts / ranks;
        // per rank r: log P(D_r = j) and P(D_r ≤ j) of Binomial(m, π̄_r), advanced with j
        double[] logPmf = new double[ranks];
        double[] logRatio = new double[ranks];
        double[] cdf = scratch;
        for (int r = 0; r < ranks; r++) {
            double sum = 0;
            for (int e = r; e < experts; e += ranks) {
                sum -= Math.expm1(tokens * logMiss[e]);
            }
            double q = Math.min(1, sum / perRank);
            boolean certain = q >= 1;
            logPmf[r] = certain ? Double.NEGATIVE_INFINITY : perRank * Math.log1p(-q);
            logRatio[r] = certain ? 0 : Math.log(q) - Math.log1p(-q);
            cdf[r] = Math.exp(logPmf[r]);
        }
        // E[max_r D_r] = Σ_{j=1..m} P(max ≥ j) = Σ_j 1 − Π_r P(D_r ≤ j − 1)
        double expectedMax = 0;
        for (int j = 1; j <= perRank; j++) {
            double allBelow = 1;
            for (int r = 0; r < ranks; r++) {
                allBelow *= Math.min(1, cdf[r]);
                logPmf[r] += Math.log((double) (perRank - j + 1) / j) + logRatio[r];
                cdf[r] += Math.exp(logPmf[r]);
            }
            expectedMax += 1 - allBelow;
        }
        double floor = Math.min(Math.ceil((double) perToken / ranks), perRank);
        return Math.max(expectedMax, floor);
    }
}
