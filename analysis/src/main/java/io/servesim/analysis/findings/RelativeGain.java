package io.servesim.analysis.findings;

/**
 * A relative change {@code mean(candidate) / mean(baseline) − 1} of one metric, with its 95 %
 * confidence interval (delta method, Welch–Satterthwaite degrees of freedom; see
 * {@link ReplicationStatistics#relativeGain}). {@code significant} is {@code true} when the
 * interval excludes 0, {@code false} when it contains 0, and {@code null} when there are too few
 * replications to tell.
 */
public record RelativeGain(String metric, double gain, Double ciLow, Double ciHigh, Boolean significant) {
}
