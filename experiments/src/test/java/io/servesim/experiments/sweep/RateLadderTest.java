package io.servesim.experiments.sweep;

import io.servesim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLadderTest {
    @Test
    void startStopStepIncludesTheStopWhenTheStepsReachIt() {
        assertThat(RateLadder.parse("2:40:2").ratesRps()).hasSize(20).startsWith(2.0, 4.0).endsWith(38.0, 40.0);
        assertThat(RateLadder.parse("2:9:3").ratesRps()).containsExactly(2.0, 5.0, 8.0);
    }

    @Test
    void decimalStepsDoNotAccumulateBinaryRoundingError() {
        // 0.1 + 0.1 + 0.1 in binary is 0.30000000000000004 > 0.3, which would drop the last rate
        assertThat(RateLadder.parse("0.1:0.3:0.1").ratesRps()).containsExactly(0.1, 0.2, 0.3);
    }

    @Test
    void aListIsTakenAsGivenAndMustAscend() {
        assertThat(RateLadder.parse("1,2,5,10").ratesRps()).containsExactly(1.0, 2.0, 5.0, 10.0);
        assertThatThrownBy(() -> RateLadder.parse("5,2")).isInstanceOf(ConfigException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> RateLadder.parse("0:4:2")).hasMessageContaining("every rate must be > 0");
        assertThatThrownBy(() -> RateLadder.parse("2:x:2")).hasMessageContaining("not a number");
    }
}
