package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/** X = exp(mu + sigma·Z) with Z standard normal: mu and sigma are those of ln X, used as given. */
public record LogNormalVariable(double mu, double sigma) implements ContinuousVariable {
    public LogNormalVariable {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
    }

    @Override
    public double sample(SplittableRandom random) {
        return Math.exp(mu + sigma * random.nextGaussian());
    }

    @Override
    public double cdf(double x) {
        return x <= 0 ? 0.0 : StandardNormal.cdf((Math.log(x) - mu) / sigma);
    }

    @Override
    public double quantile(double p) {
        return Math.exp(mu + sigma * StandardNormal.quantile(p));
    }
}
