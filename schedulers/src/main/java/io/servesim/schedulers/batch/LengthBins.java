package io.servesim.schedulers.batch;

import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.RequestView;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * K bins by predicted output length with equal probability mass: bin i holds predicted lengths in
 * (Q(i/K), Q((i+1)/K)], where Q is the quantile function of the workload's output-length
 * distribution (bin 0 is unbounded below, bin K−1 above).
 */
public final class LengthBins {
    private final double[] upperBounds;
    private final OutputLengthPredictor predictor;

    public LengthBins(int bins, DoubleUnaryOperator outputTokensQuantile, OutputLengthPredictor predictor) {
        ConfigException.require(bins >= 1, "bins", "must be >= 1", bins);
        this.upperBounds = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            upperBounds[i - 1] = outputTokensQuantile.applyAsDouble((double) i / bins);
        }
        this.predictor = predictor;
    }

    public int count() {
        return upperBounds.length + 1;
    }

    /** The bin of {@code request}: the first whose upper bound is ≥ its predicted length (binary search). */
    public int binOf(int request, RequestView requests) {
        double predicted = predictor.predictTokens(request, requests.outputTokens(request));
        int lo = 0;
        int hi = upperBounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (predicted <= upperBounds[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The upper bounds Q(i/K), i = 1 … K−1. */
    public double[] upperBounds() {
        return Arrays.copyOf(upperBounds, upperBounds.length);
    }
}
