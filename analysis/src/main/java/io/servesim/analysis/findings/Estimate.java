package io.servesim.analysis.findings;

/**
 * The mean of a metric over the replications of one configuration, with its sample standard
 * deviation and the 95 % Student-t confidence interval {@code mean ± t(0.975, n−1) · sd / √n}.
 * {@code ciLow}/{@code ciHigh} are {@code null} with fewer than two replications.
 */
public record Estimate(double mean, double standardDeviation, int replications, Double ciLow, Double ciHigh) {

    public Estimate {
        if (replications < 1) {
            throw new IllegalArgumentException("an estimate needs at least one value, got " + replications);
        }
    }

    public boolean hasInterval() {
        return ciLow != null;
    }
}
