package io.servesim.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PercentilesTest {

    @Test
    void interpolatesBetweenClosestRanks() {
        // Values 1..10: type-7 rank of p is p/100 · (n − 1); p50 → rank 4.5 → (5 + 6) / 2 = 5.5,
        // p90 → rank 8.1 → 9 + 0.1 · (10 − 9) = 9.1, p99 → rank 8.91 → 9.91.
        double[] values = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
        Percentiles p = new Percentiles(values, values.length);
        assertThat(p.mean()).isEqualTo(5.5);
        assertThat(p.percentile(50)).isCloseTo(5.5, within(1e-12));
        assertThat(p.percentile(90)).isCloseTo(9.1, within(1e-12));
        assertThat(p.percentile(99)).isCloseTo(9.91, within(1e-12));
        assertThat(values[0]).as("input untouched").isEqualTo(7);
    }

    @Test
    void usesOnlyTheGivenPrefix() {
        double[] values = {2, 4, 1000, 1000};
        Percentiles p = new Percentiles(values, 2);
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.mean()).isEqualTo(3);
        assertThat(p.percentile(100)).isEqualTo(4);
    }

    @Test
    void emptySampleGivesNaN() {
        Percentiles p = new Percentiles(new double[0], 0);
        assertThat(p.mean()).isNaN();
        assertThat(p.percentile(50)).isNaN();
    }
}
