package io.servesim.experiments.stress;

import io.servesim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StressPlanSpecTest {
    private static final StressPlanSpec DEFAULTS = StressPlanSpec.defaults();

    @Test
    void theDefaultPlanIsFourRequestCountsEightGpuCountsAndSixKValues() {
        assertThat(DEFAULTS.requestLadder()).containsExactly(1_000L, 10_000L, 100_000L, 1_000_000L);
        assertThat(DEFAULTS.largestRequests()).isEqualTo(1_000_000L);
        assertThat(DEFAULTS.gpuLadder()).containsExactly(1, 2, 4, 8, 16, 32, 64, 100);
        assertThat(DEFAULTS.kLadder()).containsExactly(1, 2, 4, 8, 16, 32);
        assertThat(DEFAULTS.rpsScale()).isEqualTo(200.0);
    }

    @Test
    void aRequestCapKeepsTheSmallerCountsAndAddsItself() {
        StressPlanSpec capped = DEFAULTS.with(null, null, null, 2_000L, null, null);
        assertThat(capped.requestLadder()).containsExactly(1_000L, 2_000L);
        assertThat(capped.largestRequests()).isEqualTo(2_000L);
        assertThat(DEFAULTS.with(null, null, null, 10_000L, null, null).requestLadder()).containsExactly(1_000L, 10_000L);
        assertThat(DEFAULTS.with(null, null, null, 5_000_000L, null, null).largestRequests()).isEqualTo(5_000_000L);
    }

    @Test
    void aGpuCapShapesTheLadderOfStepTwoTheSameWay() {
        assertThat(DEFAULTS.with(null, null, null, null, 8, null).gpuLadder()).containsExactly(1, 2, 4, 8);
        assertThat(DEFAULTS.with(null, null, null, null, 6, null).gpuLadder()).containsExactly(1, 2, 4, 6);
    }

    @Test
    void aBestGpuCountBeyondTheLadderIsRejected() {
        assertThatThrownBy(() -> DEFAULTS.with(null, null, null, null, 8, 16))
                .isInstanceOf(ConfigException.class).hasMessageContaining("best_gpu_count must be at most")
                .hasMessageContaining("(8)");
    }
}
