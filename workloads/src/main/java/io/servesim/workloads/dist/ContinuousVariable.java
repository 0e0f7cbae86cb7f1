package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/** A continuous random variable X that a {@link ContinuousLength} clamps and rounds to a token count. */
public interface ContinuousVariable {

    /** One draw of X, using only {@code random}. */
    double sample(SplittableRandom random);

    /** P(X ≤ x). */
    double cdf(double x);

    /** The p-quantile of X, for 0 &lt; p &lt; 1. */
    double quantile(double p);
}
