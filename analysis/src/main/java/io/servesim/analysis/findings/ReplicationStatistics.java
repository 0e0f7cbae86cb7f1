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

    /** Relative gain of {@code candidate} over {@code baseline}; {@code null} when the baseline mean is 0. */
    public static RelativeGain relativeGain(String metric, Estimate candidate, Estimate baseline) {
        if (candidate == null || baseline == null || baseline.mean() == 0.0) {
            return null;
        }
        double gain = candidate.mean() / baseline.mean() - 1.0;
        if (candidate.replications() < 2 || baseline.replications() < 2) {
            return new RelativeGain(metric, gain, null, null, null);
        }
        double mb = baseline.mean();
        double va = candidate.standardDeviation() * candidate.standardDeviation() / (candidate.replications() * mb * mb);
        double vb = candidate.mean() * candidate.mean() * baseline.standardDeviation() * baseline.standardDeviation()
                / (baseline.replications() * mb * mb * mb * mb);
        double variance = va + vb;
        if (variance == 0.0) {
            return new RelativeGain(metric, gain, gain, gain, gain != 0.0);
        }
        double dof = variance * variance
                / (va * va / (candidate.replications() - 1) + vb * vb / (baseline.replications() - 1));
        double halfWidth = criticalT(dof) * Math.sqrt(variance);
        double low = gain - halfWidth;
        double high = gain + halfWidth;
        return new RelativeGain(metric, gain, low, high, low > 0.0 || high < 0.0);
    }

    private static double criticalT(double degreesOfFreedom) {
        return new TDistribution(degreesOfFreedom).inverseCumulativeProbability(0.5 + CONFIDENCE / 2.0);
    }
}
