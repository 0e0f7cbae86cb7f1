package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/**
 * A distribution of token counts: integers in [{@link #minTokens()}, {@link #maxTokens()}], never below 1.
 * Implementations are immutable and may be shared between threads; the state of a draw lives in the
 * {@link SplittableRandom} the caller passes.
 */
public interface LengthDistribution {

    /** The largest token count any distribution yields when its spec gives no {@code max} (2^20). */
    int MAX_TOKENS = 1 << 20;

    /** One draw, using only {@code random}. */
    int sample(SplittableRandom random);

    /** The exact mean of the integer variable that {@link #sample} draws (clamping and rounding included). */
    double mean();

    /** P(N ≤ tokens). */
    double cdf(int tokens);

    /** The smallest token count k with {@code cdf(k) >= q}, for 0 &lt; q ≤ 1. */
    int quantile(double q);

    /** No draw is below it. */
    int minTokens();

    /** No draw is above it. */
    int maxTokens();
}
