package io.servesim.workloads.dist;

import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

class LengthDistributionTest {
    private static final int DRAWS = 100_000;

    static Stream<Arguments> everyDistribution() {
        return Stream.of(
                Arguments.of("fixed 512", new LengthSpec.Fixed(512)),
                Arguments.of("uniform 500-2000", new LengthSpec.Uniform(500, 2000)),
                Arguments.of("uniform 1-3", new LengthSpec.Uniform(1, 3)),
                Arguments.of("normal 1000/300", new LengthSpec.Normal(1000.0, 300.0, null, null)),
                Arguments.of("normal 10/20 truncated at 1", new LengthSpec.Normal(10.0, 20.0, null, null)),
                Arguments.of("lognormal 8.7/0.17", new LengthSpec.LogNormal(8.7, 0.17, null, null)),
                Arguments.of("lognormal 5/0.8 clamped 8-2048", new LengthSpec.LogNormal(5.0, 0.8, 8, 2048)),
                Arguments.of("lognormal 7/1.5 clamped 64-4096", new LengthSpec.LogNormal(7.0, 1.5, 64, 4096)),
                Arguments.of("exponential 200", new LengthSpec.Exponential(200.0, null, null)),
                Arguments.of("exponential 1", new LengthSpec.Exponential(1.0, null, null)),
                Arguments.of("exponential 300 clamped 50-400", new LengthSpec.Exponential(300.0, 50, 400)),
                Arguments.of("zipf 1.1 up to 1000", new LengthSpec.Zipf(1.1, null, 1000)),
                Arguments.of("empirical list", new LengthSpec.Empirical(List.of(10, 20, 20, 400), null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDistribution")
    void sampleMeanIsWithinTwoPercentOfAnalyticMean(String label, LengthSpec spec) {
        LengthDistribution distribution = spec.create();
        SplittableRandom random = new SplittableRandom(7);
        double sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            int tokens = distribution.sample(random);
            assertThat(tokens).isBetween(distribution.minTokens(), distribution.maxTokens());
            sum += tokens;
        }
        assertThat(sum / DRAWS).isCloseTo(distribution.mean(), within(0.02 * distribution.mean()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDistribution")
    void roundedDrawsFollowTheIntegerCdf(String label, LengthSpec spec) {
        // Dvoretzky–Kiefer–Wolfowitz: P(sup |F_n − F| > ε) ≤ 2·exp(−2nε²); n = 100k, α = 0.01 → ε = 0.0051.
        LengthDistribution distribution = spec.create();
        SplittableRandom random = new SplittableRandom(11);
        int[] draws = new int[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            draws[i] = distribution.sample(random);
        }
        Arrays.sort(draws);
        double worst = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (i + 1 == DRAWS || draws[i + 1] != draws[i]) {
                worst = Math.max(worst, Math.abs((i + 1.0) / DRAWS - distribution.cdf(draws[i])));
            }
        }
        assertThat(worst).isLessThan(0.0051);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDistribution")
    void quantileIsTheSmallestCountWhoseCdfReachesQ(String label, LengthSpec spec) {
        LengthDistribution distribution = spec.create();
        for (double q : new double[] {0.001, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999}) {
            int k = distribution.quantile(q);
            assertThat(distribution.cdf(k)).isGreaterThanOrEqualTo(q);
            assertThat(distribution.cdf(k - 1)).isLessThan(q);
        }
    }

    @Test
    void logNormalTakesMuAndSigmaOfTheUnderlyingNormalDirectly() {
        // E[X] = exp(8.7 + 0.17²/2) = exp(8.714450) = 6,090.28 tokens; rounding changes it by < 0.01.
        LengthDistribution extreme = new LengthSpec.LogNormal(8.7, 0.17, null, null).create();
        assertThat(extreme.mean()).isCloseTo(6090.28, offset(0.01));
        SplittableRandom random = new SplittableRandom(3);
        double sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            sum += extreme.sample(random);
        }
        assertThat(sum / DRAWS).isBetween(5900.0, 6250.0);
        // median = exp(8.7) = 6,002.9
        assertThat(extreme.quantile(0.5)).isEqualTo(6003);
    }

    @Test
    void exponentialMeanCountsTheRounding() {
        // N = round(X), X ~ Exp(1), clamped below at 1: E[N] = 1 + Σ_{k≥1} P(X > k + ½)
        //   = 1 + e^{−1.5} / (1 − e^{−1}) = 1 + 0.223130 / 0.632121 = 1.352987 (the continuous mean would be 1).
        assertThat(new LengthSpec.Exponential(1.0, null, null).create().mean()).isCloseTo(1.352987, offset(1e-6));
    }

    @Test
    void uniformIsEveryIntegerBetweenMinAndMaxEquallyLikely() {
        // {1, 2, 3} each with 1/3: mean 2, cdf(1) = 1/3, cdf(2) = 2/3.
        LengthDistribution uniform = new LengthSpec.Uniform(1, 3).create();
        assertThat(uniform.mean()).isCloseTo(2.0, offset(1e-9));
        assertThat(uniform.cdf(1)).isCloseTo(1.0 / 3, offset(1e-12));
        assertThat(uniform.cdf(2)).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(uniform.cdf(3)).isEqualTo(1.0);
    }

    @Test
    void clampingPilesTheTailOnTheBounds() {
        // X ~ Exp(mean 300) clamped to [50, 400]: P(N = 400) = P(X ≥ 399.5) = e^{−399.5/300} = 0.26404,
        // P(N = 50) = P(X < 50.5) = 1 − e^{−50.5/300} = 0.15493.
        LengthDistribution clamped = new LengthSpec.Exponential(300.0, 50, 400).create();
        assertThat(1 - clamped.cdf(399)).isCloseTo(0.26404, offset(1e-5));
        assertThat(clamped.cdf(50)).isCloseTo(0.15493, offset(1e-5));
        assertThat(clamped.minTokens()).isEqualTo(50);
        assertThat(clamped.maxTokens()).isEqualTo(400);
    }

    @Test
    void truncatedNormalRedrawsInsteadOfPilingUpAtOne() {
        // Normal(10, 20) conditioned on X ≥ 0.5: P(N = 1) = P(X < 1.5 | X ≥ 0.5)
        //   = (Φ(−0.425) − Φ(−0.475)) / (1 − Φ(−0.475)) = (0.335418 − 0.317393) / 0.682607 = 0.026406,
        // where a clamp at 1 would put P(X < 1.5) = 0.335418 on N = 1.
        LengthDistribution normal = new LengthSpec.Normal(10.0, 20.0, null, null).create();
        assertThat(normal.cdf(1)).isCloseTo(0.026406, offset(1e-6));
    }

    @Test
    void zipfWeightsFallAsAPowerOfTheCount() {
        // exponent 1 on {1, 2, 3}: weights 1, 1/2, 1/3 (sum 11/6) → mean = 3 / (11/6) = 18/11.
        LengthDistribution zipf = new LengthSpec.Zipf(1.0, null, 3).create();
        assertThat(zipf.mean()).isCloseTo(18.0 / 11, offset(1e-12));
        assertThat(zipf.cdf(1)).isCloseTo(6.0 / 11, offset(1e-12));
    }

    @Test
    void empiricalListRepeatsCount() {
        // {1, 2, 2, 5}: mean 2.5, cdf(2) = 3/4 so the median is 2 and q = 0.76 needs 5.
        LengthDistribution empirical = new LengthSpec.Empirical(List.of(5, 2, 1, 2), null, null, null, null).create();
        assertThat(empirical.mean()).isEqualTo(2.5);
        assertThat(empirical.quantile(0.5)).isEqualTo(2);
        assertThat(empirical.quantile(0.75)).isEqualTo(2);
        assertThat(empirical.quantile(0.76)).isEqualTo(5);
    }

    @Test
    void empiricalReadsACsvColumnAndClampsIt(@TempDir Path folder) throws IOException {
        Path csv = folder.resolve("lengths.csv");
        Files.writeString(csv, "id,output_tokens\n1,100\n2,300\n3,5000\n");
        LengthDistribution empirical = new LengthSpec.Empirical(null, csv.toString(), "output_tokens", null, 1000).create();
        // 100, 300 and 5000 clamped to 1000: mean = 1400 / 3.
        assertThat(empirical.mean()).isCloseTo(1400.0 / 3, offset(1e-9));
        assertThat(empirical.maxTokens()).isEqualTo(1000);
    }

    @Test
    void empiricalCsvReportsTheBadLine(@TempDir Path folder) throws IOException {
        Path csv = folder.resolve("lengths.csv");
        Files.writeString(csv, "id,output_tokens\n1,100\n2,abc\n");
        assertThatThrownBy(
                        () -> new LengthSpec.Empirical(null, csv.toString(), "output_tokens", null, null).create())
                .hasMessage("lengths.csv line 3: output_tokens 'abc' is not an integer");
    }

    @Test
    void exponentialDrawsPassKolmogorovSmirnov() {
        assertKolmogorovSmirnov(new ExponentialVariable(200), new ExponentialDistribution(null, 200));
    }

    @Test
    void uniformDrawsPassKolmogorovSmirnov() {
        // Uniform(500, 2000) draws X on [499.5, 2000.5) before rounding.
        ContinuousLength uniform = (ContinuousLength) new LengthSpec.Uniform(500, 2000).create();
        assertKolmogorovSmirnov(uniform.variable(), new UniformRealDistribution(null, 499.5, 2000.5));
    }

    @Test
    void logNormalDrawsPassKolmogorovSmirnov() {
        ContinuousLength logNormal = (ContinuousLength) new LengthSpec.LogNormal(8.7, 0.17, null, null).create();
        assertKolmogorovSmirnov(logNormal.variable(), new LogNormalDistribution(null, 8.7, 0.17));
    }

    /** KS on the continuous draws before clamping and rounding (the rounding is checked by the integer-CDF test). */
    private static void assertKolmogorovSmirnov(ContinuousVariable variable, RealDistribution reference) {
        SplittableRandom random = new SplittableRandom(5);
        double[] draws = new double[20_000];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = variable.sample(random);
        }
        assertThat(new KolmogorovSmirnovTest().kolmogorovSmirnovTest(reference, draws)).isGreaterThan(0.01);
    }
}
