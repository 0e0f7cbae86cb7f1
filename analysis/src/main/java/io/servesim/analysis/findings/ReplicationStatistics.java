package io.servesim.analysis.findings;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Means, confidence intervals and relative gains over replications, with Commons Math.
 *
 * <p>Relative gain of candidate A over baseline B: {@code g = m_A / m_B − 1}. Its variance by
 * the delta method is {@code Var(g) ≈ v_A + v_B} with {@code v_A = s_A² / (n_A · m_B²)} and
 * {@code v_B = m_A² · s_B² / (n_B · m_B⁴)}; the interval is {@code g ± t(0.975, ν) · √Var(g)}
 * with Welch–Satterthwaite degrees of freedom
 * {@code ν = (v_A + v_B)² / (v_A² / (n_A − 1) + v_B² / (n_B − 1))}. A gain is significant when
 * its interval excludes 0.
 *
 * <p>Paired gain ({@link #pairedGain}): replication r of every configuration of a plan draws the same requests
 * (common random numbers), so the replications of two configurations pair up by index. With n ≥ 2 pairs
 * (a_r, b_r), {@code g = ā / b̄ − 1} and, with {@code R = ā / b̄} and {@code d_r = a_r − R · b_r} (the ratio
 * estimator's residuals), {@code Var(g) ≈ s_d² / (n · b̄²)}, with n − 1 degrees of freedom. Pairing removes the
 * workload's sampling noise that both configurations share, which an unpaired interval counts twice.
 */
public final class ReplicationStatistics {

    /** Two-sided confidence level of every interval. */
    public static final double CONFIDENCE = 0.95;

    private ReplicationStatistics() {
    }

    /** Mean and 95 % t-interval of the finite values, or {@code null} when there is none. */
    public static Estimate estimate(double[] values) {
        SummaryStatistics stats = new SummaryStatistics();
        for (double value : values) {
            if (Double.isFinite(value)) {
                stats.addValue(value);
            }
        }
        int n = (int) stats.getN();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return new Estimate(stats.getMean(), 0.0, 1, null, null);
        }
        double sd = stats.getStandardDeviation();
        double halfWidth = criticalT(n - 1) * sd / Math.sqrt(n);
        return new Estimate(stats.getMean(), sd, n, stats.getMean() - halfWidth, stats.getMean() + halfWidth);
    }

    /**
     * Change of {@code metric} from {@code baseline} to {@code candidate}, paired by replication when both have at
     * least two replications in common, otherwise unpaired ({@link #relativeGain}); {@code null} when either lacks
     * the metric.
     */
    public static RelativeGain pairedGain(String metric, ConfigSummary candidate, ConfigSummary baseline) {
        Estimate a = candidate.metric(metric);
        Estimate b = baseline.metric(metric);
        if (a == null || b == null) {
            return null;
        }
        double sumA = 0;
        double sumB = 0;
        int n = 0;
        double[] as = new double[candidate.replicationIds().size()];
        double[] bs = new double[as.length];
        for (int replication : candidate.replicationIds()) {
            double va = candidate.valueIn(replication, metric);
            double vb = baseline.valueIn(replication, metric);
            if (Double.isFinite(va) && Double.isFinite(vb)) {
                as[n] = va;
                bs[n] = vb;
                sumA += va;
                sumB += vb;
                n++;
            }
        }
        if (n < 2) {
            return relativeGain(metric, a, b);
        }
        double meanA = sumA / n;
        double meanB = sumB / n;
        if (meanB == 0.0) {
            return new RelativeGain(metric, Double.NaN, meanA - meanB, null, null, null, true, true);
        }
        double ratio = meanA / meanB;
        double gain = ratio - 1.0;
        SummaryStatistics residuals = new SummaryStatistics();
        for (int i = 0; i < n; i++) {
            residuals.addValue(as[i] - ratio * bs[i]);
        }
        double sd = residuals.getStandardDeviation();
        if (!(sd > 1e-12 * Math.max(Math.abs(meanA), Math.abs(meanB)))) {
            return new RelativeGain(metric, gain, meanA - meanB, gain, gain, Math.abs(gain) > 1e-12, true, false);
        }
        double halfWidth = criticalT(n - 1) * sd / (Math.sqrt(n) * Math.abs(meanB));
        double low = gain - halfWidth;
        double high = gain + halfWidth;
        return new RelativeGain(metric, gain, meanA - meanB, low, high, low > 0.0 || high < 0.0, true, false);
    }

    /** Relative gain of {@code candidate} over {@code baseline} (unpaired); {@code null} when either is missing. */
    public static RelativeGain relativeGain(String metric, Estimate candidate, Estimate baseline) {
        if (candidate == null || baseline == null) {
            return null;
        }
        double difference = candidate.mean() - baseline.mean();
        if (baseline.mean() == 0.0) {
            return new RelativeGain(metric, Double.NaN, difference, null, null, null, false, true);
        }
        double gain = candidate.mean() / baseline.mean() - 1.0;
        if (candidate.replications() < 2 || baseline.replications() < 2) {
            return new RelativeGain(metric, gain, difference, null, null, null, false, false);
        }
        double mb = baseline.mean();
        double va = candidate.standardDeviation() * candidate.standardDeviation() / (candidate.replications() * mb * mb);
        double vb = candidate.mean() * candidate.mean() * baseline.standardDeviation() * baseline.standardDeviation()
                / (baseline.replications() * mb * mb * mb * mb);
        double variance = va + vb;
        if (variance == 0.0) {
            return new RelativeGain(metric, gain, difference, gain, gain, gain != 0.0, false, false);
        }
        double dof = variance * variance
                / (va * va / (candidate.replications() - 1) + vb * vb / (baseline.replications() - 1));
        double halfWidth = criticalT(dof) * Math.sqrt(variance);
        double low = gain - halfWidth;
        double high = gain + halfWidth;
        return new RelativeGain(metric, gain, difference, low, high, low > 0.0 || high < 0.0, false, false);
    }

    private static double criticalT(double degreesOfFreedom) {
        return new TDistribution(degreesOfFreedom).inverseCumulativeProbability(0.5 + CONFIDENCE / 2.0);
    }
}
