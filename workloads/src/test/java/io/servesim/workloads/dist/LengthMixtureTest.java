package io.servesim.workloads.dist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class LengthMixtureTest {

    @Test
    void quantileOfTwoFixedLengthsFollowsTheirWeights() {
        // 100 tokens with weight 1, 300 with weight 3: cdf(100) = 0.25, cdf(300) = 1.
        LengthMixture mixture = new LengthMixture(List.of(new FixedLength(100), new FixedLength(300)), new double[] {1, 3});
        assertThat(mixture.quantile(0.2)).isEqualTo(100);
        assertThat(mixture.quantile(0.25)).isEqualTo(100);
        assertThat(mixture.quantile(0.26)).isEqualTo(300);
        assertThat(mixture.mean()).isEqualTo(250.0);
    }

    @Test
    void quantileOfUniformAndFixedIsFoundByBisection() {
        // Uniform{1..10} and Fixed(20), equal weights: cdf(k) = k/20 for k ≤ 10, so q = 0.3 → k = 6;
        // cdf(19) = 0.5, cdf(20) = 1, so q = 0.6 → 20.
        LengthMixture mixture = new LengthMixture(
                List.of(new LengthSpec.Uniform(1, 10).create(), new FixedLength(20)), new double[] {2, 2});
        assertThat(mixture.cdf(6)).isCloseTo(0.3, offset(1e-12));
        assertThat(mixture.quantile(0.3)).isEqualTo(6);
        assertThat(mixture.quantile(0.31)).isEqualTo(7);
        assertThat(mixture.quantile(0.6)).isEqualTo(20);
    }
}
