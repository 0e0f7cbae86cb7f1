package io.servesim.core.metrics;

import java.util.Arrays;

/**
 * Exact summary statistics of a sample: the values are sorted once and percentiles are read with
 * linear interpolation between closest ranks (the "type 7" definition of R and NumPy's default).
 */
public final class Percentiles {
    private final double[] sorted;
    private final double mean;

    /** Takes ownership of {@code values[0, count)} and sorts them in place. */
    public Percentiles(double[] values, int count) {
        Arrays.sort(values, 0, count);
        this.sorted = count == values.length ? values : Arrays.copyOf(values, count);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += sorted[i];
        }
        this.mean = count == 0 ? Double.NaN : sum / count;
    }

    public int count() {
        return sorted.length;
    }

    public double mean() {
        return mean;
    }

    /** The p-th percentile (0 ≤ p ≤ 100); NaN for an empty sample. */
    public double percentile(double p) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        double rank = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, n - 1);
        double frac = rank - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** Sorted values (shared, do not modify). */
    public double[] sortedValues() {
        return sorted;
    }
}
