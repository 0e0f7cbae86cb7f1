package io.servesim.workloads.dist;

import java.util.List;

/**
 * The distribution of a token count drawn from component i with probability weight[i] / Σ weights (e.g. the
 * output lengths of a workload whose profiles are weighted by their request rates). Quantiles are exact:
 * a bisection over integers on the mixture CDF Σ wᵢ·Fᵢ(k) / Σ wᵢ.
 */
public final class LengthMixture {
    private final LengthDistribution[] components;
    private final double[] weights;
    private final double totalWeight;
    private final int minTokens;
    private final int maxTokens;

    public LengthMixture(List<LengthDistribution> components, double[] weights) {
        if (components.isEmpty() || components.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per component, got " + components.size()
                    + " components and " + weights.length + " weights");
        }
        this.components = components.toArray(new LengthDistribution[0]);
        this.weights = weights.clone();
        double total = 0;
        int min = Integer.MAX_VALUE;
        int max = 1;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0)) {
                throw new IllegalArgumentException("weights must be >= 0, got " + weights[i]);
            }
            total += weights[i];
            min = Math.min(min, this.components[i].minTokens());
            max = Math.max(max, this.components[i].maxTokens());
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must not all be 0");
        }
        this.totalWeight = total;
        this.minTokens = min;
        this.maxTokens = max;
    }

    /** P(N ≤ k). */
    public double cdf(int k) {
        double sum = 0;
        for (int i = 0; i < components.length; i++) {
            sum += weights[i] * components[i].cdf(k);
        }
        return sum / totalWeight;
    }

    /** The smallest k with cdf(k) ≥ q, for 0 &lt; q ≤ 1. */
    public int quantile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in (0, 1], got " + q);
        }
        int low = minTokens;
        int high = maxTokens;
        while (low < high) {
            int mid = (int) (((long) low + high) >>> 1);
            if (cdf(mid) >= q) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Σ wᵢ·meanᵢ / Σ wᵢ. */
    public double mean() {
        double sum = 0;
        for (int i = 0; i < components.length; i++) {
            sum += weights[i] * components[i].mean();
        }
        return sum / totalWeight;
    }
}
