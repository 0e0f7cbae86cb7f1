package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/**
 * A token count N = round(clamp(X, min, max)) of a continuous variable X, with integer bounds
 * 1 ≤ min ≤ max. Rounding is half-up, so for min ≤ k &lt; max, P(N ≤ k) = P(X &lt; k + ½).
 *
 * <p>The mean is exact for the integer variable: E[N] = min + Σ_{k=min}^{max−1} P(X &gt; k + ½). The sum
 * runs over the integers between X's 10⁻¹² and 1 − 10⁻¹² quantiles (terms outside are 1 or 0 to
 * within 10⁻¹²), at most {@link LengthDistribution#MAX_TOKENS} terms, once, when the distribution is built.
 */
public final class ContinuousLength implements LengthDistribution {
    private static final double TAIL = 1e-12;

    private final ContinuousVariable variable;
    private final int minTokens;
    private final int maxTokens;
    private final double mean;

    public ContinuousLength(ContinuousVariable variable, int minTokens, int maxTokens) {
        if (minTokens < 1 || maxTokens < minTokens) {
            throw new IllegalArgumentException("need 1 <= minTokens <= maxTokens, got " + minTokens + ", " + maxTokens);
        }
        this.variable = variable;
        this.minTokens = minTokens;
        this.maxTokens = maxTokens;
        this.mean = exactMean();
    }

    private double exactMean() {
        long first = clampToSupport(Math.floor(variable.quantile(TAIL) - 0.5));
        long last = clampToSupport(Math.ceil(variable.quantile(1 - TAIL) + 0.5));
        double sum = first - minTokens;
        for (long k = first; k < last; k++) {
            sum += 1.0 - variable.cdf(k + 0.5);
        }
        return minTokens + sum;
    }

    private long clampToSupport(double x) {
        return (long) Math.max(minTokens, Math.min(maxTokens, x));
    }

    /** The underlying continuous variable (its draws before clamping and rounding). */
    public ContinuousVariable variable() {
        return variable;
    }

    @Override
    public int sample(SplittableRandom random) {
        double x = variable.sample(random);
        double clamped = x < minTokens ? minTokens : Math.min(x, maxTokens);
        return (int) (clamped + 0.5);
    }

    @Override
    public double mean() {
        return mean;
    }

    @Override
    public double cdf(int k) {
        if (k < minTokens) {
            return 0.0;
        }
        return k >= maxTokens ? 1.0 : variable.cdf(k + 0.5);
    }

    @Override
    public int quantile(double q) {
        int k = (int) clampToSupport(Math.ceil(variable.quantile(Math.min(q, 1 - TAIL)) - 0.5));
        while (k > minTokens && cdf(k - 1) >= q) {
            k--;
        }
        while (k < maxTokens && cdf(k) < q) {
            k++;
        }
        return k;
    }

    @Override
    public int minTokens() {
        return minTokens;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }
}
