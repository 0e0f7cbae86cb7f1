package io.servesim.analysis.findings;

/**
 * A change of one metric from a baseline to a candidate: relative, {@code mean(candidate) / mean(baseline) − 1},
 * and absolute, {@code mean(candidate) − mean(baseline)}, with the 95 % confidence interval of the relative change
 * (see {@link ReplicationStatistics}). {@code significant} is {@code true} when the interval excludes 0,
 * {@code false} when it contains 0, and {@code null} when there are too few replications to tell.
 *
 * @param paired       the interval comes from replications paired by index (common random numbers), not from two
 *                     independent samples
 * @param baseNearZero the baseline is too close to 0 for a relative change to mean anything (see
 *                     {@link FindingRules#NEAR_ZERO_BASE}); the findings then print the absolute difference
 */
public record RelativeGain(String metric, double gain, double difference, Double ciLow, Double ciHigh,
                           Boolean significant, boolean paired, boolean baseNearZero) {

    /** The same change, marked as measured from a baseline too close to 0 for a percentage. */
    public RelativeGain withBaseNearZero() {
        return new RelativeGain(metric, gain, difference, ciLow, ciHigh, significant, paired, true);
    }

    /**
     * Whether the change is large enough to act on: significant across replications when there is an interval,
     * otherwise (a single run) at least {@code effectSize} in relative size.
     */
    public boolean meaningful(double effectSize) {
        if (significant != null) {
            return significant;
        }
        return Double.isFinite(gain) && Math.abs(gain) >= effectSize;
    }
}
