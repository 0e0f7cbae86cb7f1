package io.servesim.workloads.dist;

import org.apache.commons.math3.special.Erf;

/** Φ and Φ⁻¹ of the standard normal distribution, accurate in the tails (via erfc). */
final class StandardNormal {
    private static final double SQRT2 = Math.sqrt(2.0);

    private StandardNormal() {
    }

    static double cdf(double z) {
        return 0.5 * Erf.erfc(-z / SQRT2);
    }

    static double quantile(double p) {
        return -SQRT2 * Erf.erfcInv(2.0 * p);
    }
}
