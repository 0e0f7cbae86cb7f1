package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReplicationStatisticsTest {

    @Test
    void meanHasStudentTIntervalOverReplications() {
        // values 10, 12, 14: mean 12, sd 2, t(0.975, 2) = 4.302653
        // half-width = 4.302653 · 2 / √3 = 4.968275 → [7.031725, 16.968275]
        Estimate estimate = ReplicationStatistics.estimate(new double[] {10, 12, 14});

        assertThat(estimate.mean()).isEqualTo(12.0);
        assertThat(estimate.standardDeviation()).isEqualTo(2.0, within(1e-12));
        assertThat(estimate.ciLow()).isEqualTo(7.031725, within(1e-6));
        assertThat(estimate.ciHigh()).isEqualTo(16.968275, within(1e-6));
    }

    @Test
    void singleReplicationHasNoInterval() {
        Estimate estimate = ReplicationStatistics.estimate(new double[] {5, Double.NaN});

        assertThat(estimate.mean()).isEqualTo(5.0);
        assertThat(estimate.replications()).isEqualTo(1);
        assertThat(estimate.hasInterval()).isFalse();
    }

    @Test
    void relativeGainIsSignificantWhenItsIntervalExcludesZero() {
        // A = {119, 120, 121}, B = {99, 100, 101}: g = 120/100 − 1 = 0.20
        // v_A = 1² / (3 · 100²) = 3.3333e-5, v_B = 120² · 1² / (3 · 100⁴) = 4.8e-5, Var = 8.1333e-5
        // ν = Var² / (v_A²/2 + v_B²/2) = 3.874, t(0.975, 3.874) = 2.812417
        // half-width = 2.812417 · √8.1333e-5 = 0.025364 → [0.174636, 0.225364], significant
        RelativeGain gain = ReplicationStatistics.relativeGain("throughput_rps",
                ReplicationStatistics.estimate(new double[] {119, 120, 121}),
                ReplicationStatistics.estimate(new double[] {99, 100, 101}));

        assertThat(gain.gain()).isEqualTo(0.20, within(1e-12));
        assertThat(gain.ciLow()).isEqualTo(0.174636, within(1e-6));
        assertThat(gain.ciHigh()).isEqualTo(0.225364, within(1e-6));
        assertThat(gain.significant()).isTrue();
    }

    @Test
    void relativeGainIsNotSignificantWhenItsIntervalContainsZero() {
        // A = {110, 120, 130} (sd 10), B = {100, 100, 100} (sd 0): g = 0.20
        // Var = v_A = 10² / (3 · 100²) = 0.0033333, ν = 2, t(0.975, 2) = 4.302653
        // half-width = 4.302653 · 0.057735 = 0.248414 → [−0.048414, 0.448414], not significant
        RelativeGain gain = ReplicationStatistics.relativeGain("throughput_rps",
                ReplicationStatistics.estimate(new double[] {110, 120, 130}),
                ReplicationStatistics.estimate(new double[] {100, 100, 100}));

        assertThat(gain.ciLow()).isEqualTo(-0.048414, within(1e-6));
        assertThat(gain.ciHigh()).isEqualTo(0.448414, within(1e-6));
        assertThat(gain.significant()).isFalse();
    }

    @Test
    void relativeGainOfSingleRunsHasNoSignificance() {
        RelativeGain gain = ReplicationStatistics.relativeGain("throughput_rps",
                ReplicationStatistics.estimate(new double[] {150}),
                ReplicationStatistics.estimate(new double[] {100}));

        assertThat(gain.gain()).isEqualTo(0.5, within(1e-12));
        assertThat(gain.ciLow()).isNull();
        assertThat(gain.significant()).isNull();
    }

    @Test
    void relativeGainFromAZeroBaseHasNoPercentageButAnAbsoluteDifference() {
        RelativeGain gain = ReplicationStatistics.relativeGain("goodput_rps",
                ReplicationStatistics.estimate(new double[] {3}), ReplicationStatistics.estimate(new double[] {0}));

        assertThat(gain.gain()).isNaN();
        assertThat(gain.difference()).isEqualTo(3.0);
        assertThat(gain.baseNearZero()).isTrue();
    }
}
