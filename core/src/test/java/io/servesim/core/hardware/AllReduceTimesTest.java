package io.servesim.core.hardware;

import io.servesim.core.config.ConfigException;
import io.servesim.core.model.CollectiveCost;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Measured all-reduce curves: interpolation by hand, the floor below and the bandwidth tail above, and bad input. */
class AllReduceTimesTest {

    private static final double MICROS = 1e-6;
    /** Four GPUs: 8 µs up to 64 KiB, 12 µs at 1 MiB, 40 µs at 8 MiB. */
    private static final AllReduceTimes FOUR = new AllReduceTimes("hand-made",
            Map.of(4, new double[][] {{65_536, 8}, {1_048_576, 12}, {8_388_608, 40}}));
    /** Its curve as the step-time model evaluates it. */
    private static final CollectiveCost FOUR4 = CollectiveCost.measured(FOUR.points(4));

    @Test
    void betweenTwoPointsTheTimeIsInterpolatedLinearlyInTheBytes() {
        // 557,056 bytes is half-way from 65,536 to 1,048,576: 8 + 0.5 · (12 − 8) = 10 µs.
        assertThat(FOUR4.seconds(557_056)).isCloseTo(10 * MICROS, within(1e-15));
        // On a point: its own time.
        assertThat(FOUR4.seconds(1_048_576)).isCloseTo(12 * MICROS, within(1e-15));
    }

    @Test
    void belowTheFirstPointTheTimeIsTheLatencyFloor() {
        assertThat(FOUR4.seconds(512)).isEqualTo(8 * MICROS);
        assertThat(FOUR4.seconds(0)).isEqualTo(8 * MICROS);
    }

    @Test
    void aboveTheLastPointTheTimeGrowsWithTheLastSegmentsBandwidth() {
        // Last segment: 28 µs per 7,340,032 bytes; 16 MiB (16,777,216) is 8,388,608 bytes further: 40 + 32 = 72 µs.
        assertThat(FOUR4.seconds(16_777_216)).isCloseTo(72 * MICROS, within(1e-12));
    }

    @Test
    void onlyTheMeasuredGroupSizesAreCovered() {
        assertThat(FOUR.covers(4)).isTrue();
        assertThat(FOUR.covers(8)).isFalse();
        assertThatThrownBy(() -> FOUR.points(8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 GPUs");
    }

    @Test
    void badPointsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new AllReduceTimes("x", Map.of(8, new double[][] {{1_000, 5}, {1_000, 6}})))
                .isInstanceOf(ConfigException.class).hasMessageContaining("all_reduce.world_sizes.8[1]")
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new AllReduceTimes("x", Map.of(8, new double[][] {{1_000, 5}, {2_000, -1}})))
                .isInstanceOf(ConfigException.class).hasMessageContaining("micros must be > 0");
        assertThatThrownBy(() -> new AllReduceTimes("x", Map.of(1, new double[][] {{1_000, 5}, {2_000, 6}})))
                .isInstanceOf(ConfigException.class).hasMessageContaining(">= 2 GPUs");
        assertThatThrownBy(() -> new AllReduceTimes("x", Map.of(2, new double[][] {{1_000, 5}})))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least two");
        assertThatThrownBy(() -> new AllReduceTimes(" ", Map.of(2, new double[][] {{1_000, 5}, {2_000, 6}})))
                .isInstanceOf(ConfigException.class).hasMessageContaining("all_reduce.source");
    }
}
