package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/** X uniform on [low, high). */
public record UniformVariable(double low, double high) implements ContinuousVariable {
    public UniformVariable {
        if (!(high > low)) {
            throw new IllegalArgumentException("need low < high, got " + low + ", " + high);
        }
    }

    @Override
    public double sample(SplittableRandom random) {
        return low + (high - low) * random.nextDouble();
    }

    @Override
    public double cdf(double x) {
        return x <= low ? 0.0 : x >= high ? 1.0 : (x - low) / (high - low);
    }

    @Override
    public double quantile(double p) {
        return low + (high - low) * p;
    }
}
