package io.servesim.workloads.arrival;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ArrivalProcessTest {

    @Test
    void poissonCountsPerWindowHaveVarianceEqualToMean() {
        // Rate 10/s counted in 20,000 one-second windows: mean 10, variance 10. The dispersion index
        // var/mean has standard error ≈ sqrt(2/(n−1)) = 1.0 %, so 5 % is a 5-sigma tolerance.
        ArrivalProcess poisson = new ArrivalSpec.Poisson().open(10, new SplittableRandom(1));
        int windows = 20_000;
        int[] counts = new int[windows];
        for (double t = poisson.nextArrivalSeconds(); t < windows; t = poisson.nextArrivalSeconds()) {
            counts[(int) t]++;
        }
        double mean = 0;
        for (int c : counts) {
            mean += c;
        }
        mean /= windows;
        double variance = 0;
        for (int c : counts) {
            variance += (c - mean) * (c - mean);
        }
        variance /= windows - 1;
        assertThat(mean).isCloseTo(10.0, within(0.1));
        assertThat(variance / mean).isCloseTo(1.0, within(0.05));
    }

    @Test
    void gammaGapsHaveTheRequestedMeanAndCoefficientOfVariation() {
        for (double cv : new double[] {0.5, 1.0, 2.0, 4.0}) {
            double[] gaps = gaps(new ArrivalSpec.Gamma(cv).open(5, new SplittableRandom(2)), 200_000);
            // mean gap = 1 / rate = 0.2 s
            assertThat(mean(gaps)).as("mean gap at cv %s", cv).isCloseTo(0.2, within(0.2 * 0.03));
            assertThat(Math.sqrt(variance(gaps)) / mean(gaps)).as("cv").isCloseTo(cv, within(cv * 0.05));
        }
    }

    @Test
    void constantArrivalsAreEvenlySpaced() {
        ArrivalProcess constant = new ArrivalSpec.Constant().open(4, new SplittableRandom(3));
        // 1/4 s apart, the k-th at k/4 s
        assertThat(constant.nextArrivalSeconds()).isEqualTo(0.25);
        assertThat(constant.nextArrivalSeconds()).isEqualTo(0.5);
        for (int k = 3; k < 1000; k++) {
            constant.nextArrivalSeconds();
        }
        assertThat(constant.nextArrivalSeconds()).isEqualTo(250.0);
    }

    @Test
    void onOffLongRunRateWeightsBurstAndCalmRatesByTheirTimeShares() {
        // burst 20/s for mean 5 s, calm 2/s for mean 20 s: pb = 5/25 = 0.2, rate = 20·0.2 + 2·0.8 = 5.6/s.
        // Over 200,000 s (8,000 cycles) the count's relative standard error is about 1 %; tolerance 3 %.
        ArrivalSpec.OnOff spec = new ArrivalSpec.OnOff(20.0, 2.0, 5.0, 20.0);
        assertThat(spec.ownRatePerSecond()).isCloseTo(5.6, within(1e-12));
        double horizon = 200_000;
        ArrivalProcess process = spec.open(spec.ownRatePerSecond(), new SplittableRandom(4));
        long count = 0;
        for (double t = process.nextArrivalSeconds(); t < horizon; t = process.nextArrivalSeconds()) {
            count++;
        }
        assertThat(count / horizon).isCloseTo(5.6, within(5.6 * 0.03));
    }

    @Test
    void onOffScaledToAnotherRateKeepsItsShape() {
        // Scaling 5.6/s to 56/s multiplies both rates by 10 and keeps the durations: 200·0.2 + 20·0.8 = 56/s.
        // The error comes from the random burst/calm durations, as above: about 1 % over 8,000 cycles.
        ArrivalSpec.OnOff spec = new ArrivalSpec.OnOff(20.0, 2.0, 5.0, 20.0);
        ArrivalProcess process = spec.open(56, new SplittableRandom(5));
        double horizon = 200_000;
        long count = 0;
        for (double t = process.nextArrivalSeconds(); t < horizon; t = process.nextArrivalSeconds()) {
            count++;
        }
        assertThat(count / horizon).isCloseTo(56, within(56 * 0.03));
    }

    @Test
    void arrivalTimesNeverDecrease() {
        ArrivalSpec.Pattern[] patterns = {new ArrivalSpec.Poisson(), new ArrivalSpec.Gamma(3.0), new ArrivalSpec.Constant(),
                new ArrivalSpec.OnOff(50.0, 0.0, 1.0, 9.0)};
        for (ArrivalSpec.Pattern pattern : patterns) {
            ArrivalProcess process = pattern.open(7, new SplittableRandom(6));
            double previous = 0;
            for (int i = 0; i < 10_000; i++) {
                double t = process.nextArrivalSeconds();
                assertThat(t).isGreaterThanOrEqualTo(previous);
                previous = t;
            }
        }
    }

    private static double[] gaps(ArrivalProcess process, int n) {
        double[] gaps = new double[n];
        double previous = 0;
        for (int i = 0; i < n; i++) {
            double t = process.nextArrivalSeconds();
            gaps[i] = t - previous;
            previous = t;
        }
        return gaps;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double variance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
