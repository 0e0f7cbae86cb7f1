package io.servesim.workloads.dist;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A token count with a finite table of values and probabilities (Zipf, empirical samples, trace columns).
 * A draw is one uniform number and a binary search in the cumulative table; mean, CDF and quantiles are exact.
 */
public final class TabulatedLength implements LengthDistribution {
    private final int[] values;
    private final double[] cumulative;
    private final double mean;

    private TabulatedLength(int[] values, double[] weights) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a tabulated distribution needs at least one value");
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        this.values = values;
        this.cumulative = new double[values.length];
        double running = 0;
        double weightedSum = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1 || (i > 0 && values[i] <= values[i - 1])) {
                throw new IllegalArgumentException("values must be increasing and >= 1, got " + values[i]);
            }
            running += weights[i];
            weightedSum += values[i] * weights[i];
            cumulative[i] = running / total;
        }
        cumulative[values.length - 1] = 1.0;
        this.mean = weightedSum / total;
    }

    /** Values {@code values[i]} (increasing, ≥ 1) with probabilities proportional to {@code weights[i]}. */
    public static TabulatedLength ofWeights(int[] values, double[] weights) {
        return new TabulatedLength(values.clone(), weights.clone());
    }

    /** The empirical distribution of {@code sample} (every value ≥ 1, any order, repeats count). */
    public static TabulatedLength ofSample(int[] sample) {
        int[] sorted = sample.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        int[] values = new int[sorted.length];
        double[] counts = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            if (distinct == 0 || values[distinct - 1] != sorted[i]) {
                values[distinct++] = sorted[i];
            }
            counts[distinct - 1]++;
        }
        return new TabulatedLength(Arrays.copyOf(values, distinct), Arrays.copyOf(counts, distinct));
    }

    @Override
    public int sample(SplittableRandom random) {
        return values[firstIndexAbove(random.nextDouble())];
    }

    /** The first index i with cumulative[i] &gt; u (u in [0, 1)). */
    private int firstIndexAbove(double u) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > u) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    @Override
    public double mean() {
        return mean;
    }

    @Override
    public double cdf(int k) {
        int i = Arrays.binarySearch(values, k);
        if (i >= 0) {
            return cumulative[i];
        }
        int below = -i - 2;
        return below < 0 ? 0.0 : cumulative[below];
    }

    @Override
    public int quantile(double q) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] >= q) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return values[low];
    }

    @Override
    public int minTokens() {
        return values[0];
    }

    @Override
    public int maxTokens() {
        return values[values.length - 1];
    }
}
