package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/** X exponential with the given mean. */
public record ExponentialVariable(double mean) implements ContinuousVariable {
    public ExponentialVariable {
        if (!(mean > 0)) {
            throw new IllegalArgumentException("mean must be > 0, got " + mean);
        }
    }

    @Override
    public double sample(SplittableRandom random) {
        return mean * random.nextExponential();
    }

    @Override
    public double cdf(double x) {
        return x <= 0 ? 0.0 : -Math.expm1(-x / mean);
    }

    @Override
    public double quantile(double p) {
        return -mean * Math.log1p(-p);
    }
}
