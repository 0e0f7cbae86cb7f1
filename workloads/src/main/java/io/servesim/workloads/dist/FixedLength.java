package io.servesim.workloads.dist;

import java.util.SplittableRandom;

/** Always the same token count. */
public final class FixedLength implements LengthDistribution {
    private final int tokens;

    public FixedLength(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be >= 1, got " + tokens);
        }
        this.tokens = tokens;
    }

    @Override
    public int sample(SplittableRandom random) {
        return tokens;
    }

    @Override
    public double mean() {
        return tokens;
    }

    @Override
    public double cdf(int k) {
        return k >= tokens ? 1.0 : 0.0;
    }

    @Override
    public int quantile(double q) {
        return tokens;
    }

    @Override
    public int minTokens() {
        return tokens;
    }

    @Override
    public int maxTokens() {
        return tokens;
    }
}
