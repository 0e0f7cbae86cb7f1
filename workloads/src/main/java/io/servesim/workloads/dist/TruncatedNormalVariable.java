package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/**
 * X normal(mu, sigma) conditioned on low ≤ X &lt; high: draws outside are redrawn. The window must hold
 * at least {@link #MIN_WINDOW_MASS} of the normal's mass, so the expected number of redraws stays small.
 */
public final class TruncatedNormalVariable implements ContinuousVariable {
    /** The smallest share of the untruncated normal's mass the window may hold. */
    public static final double MIN_WINDOW_MASS = 0.01;

    private final double mu;
    private final double sigma;
    private final double low;
    private final double high;
    private final double cdfLow;
    private final double windowMass;

    public TruncatedNormalVariable(double mu, double sigma, double low, double high) {
        if (!(sigma > 0) || !(high > low)) {
            throw new IllegalArgumentException("need sigma > 0 and low < high, got " + sigma + ", " + low + ", " + high);
        }
        this.mu = mu;
        this.sigma = sigma;
        this.low = low;
        this.high = high;
        this.cdfLow = StandardNormal.cdf((low - mu) / sigma);
        this.windowMass = windowMass(mu, sigma, low, high);
        if (windowMass < MIN_WINDOW_MASS) {
            throw new IllegalArgumentException("window [" + low + ", " + high + ") holds only " + windowMass
                    + " of the normal's mass");
        }
    }

    /** The share of normal(mu, sigma)'s mass in [low, high). */
    public static double windowMass(double mu, double sigma, double low, double high) {
        return StandardNormal.cdf((high - mu) / sigma) - StandardNormal.cdf((low - mu) / sigma);
    }

    @Override
    public double sample(SplittableRandom random) {
        double x;
        do {
            x = mu + sigma * random.nextGaussian();
        } while (x < low || x >= high);
        return x;
    }

    @Override
    public double cdf(double x) {
        if (x <= low) {
            return 0.0;
        }
        return x >= high ? 1.0 : (StandardNormal.cdf((x - mu) / sigma) - cdfLow) / windowMass;
    }

    @Override
    public double quantile(double p) {
        return Math.max(low, Math.min(high, mu + sigma * StandardNormal.quantile(cdfLow + p * windowMass)));
    }
}
