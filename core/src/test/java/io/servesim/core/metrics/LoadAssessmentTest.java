package io.servesim.core.metrics;

import io.servesim.core.workload.Sla;
import io.servesim.core.engine.Outcome;
import io.servesim.core.workload.ProfileInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.servesim.core.metrics.QueueingRuns.fixed;
import static io.servesim.core.metrics.QueueingRuns.geometric;
import static io.servesim.core.metrics.QueueingRuns.limits;
import static io.servesim.core.metrics.QueueingRuns.poisson;
import static io.servesim.core.metrics.QueueingRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LoadAssessmentTest {
    private static final List<ProfileInfo> ONE_PROFILE = List.of(new ProfileInfo("test", Sla.DEFAULT));
    private static final int UNLIMITED_QUEUE = Integer.MAX_VALUE;

    private static RunMetrics singleServer(long seed, int requests, double ratePerSecond) {
        // One sequence at a time, geometric output with mean 10 tokens, 10 ms per iteration:
        // service S = 10 ms · K, K ~ Geometric(p = 0.1) on {1, 2, …}, so E[S] = 0.1 s (μ = 10/s).
        return RunMetrics.of(run(limits(1, UNLIMITED_QUEUE),
                poisson(seed, requests, ratePerSecond, geometric(10), ONE_PROFILE)));
    }

    @Test
    void singleServerAtRhoOneAndAHalfIsSaturatedAndItsLatencyGrowsWithTheRunLength() {
        // λ = 15/s, μ = 10/s: the queue grows by 5 requests per second. The k-th arrival waits about
        // k (1/μ − 1/λ) = k / 30 s, so the mean latency over n arrivals is ≈ n / 60 s: ≈ 83 s for 5k, ≈ 333 s for 20k.
        RunMetrics shorter = singleServer(11, 5_000, 15);
        RunMetrics longer = singleServer(11, 20_000, 15);
        for (RunMetrics m : List.of(shorter, longer)) {
            assertThat(m.saturated()).isTrue();
            assertThat(m.overloadRatio()).isCloseTo(1.5, within(0.1));
            assertThat(m.load().queueGrowthFraction()).isCloseTo(1 - 1 / 1.5, within(0.05));
            assertThat(m.load().queueTrendFraction()).isCloseTo(1 - 1 / 1.5, within(0.05));
        }
        assertThat(shorter.e2e().mean()).isCloseTo(5_000 / 60.0, within(5_000 / 60.0 * 0.15));
        assertThat(longer.e2e().mean()).isGreaterThan(3 * shorter.e2e().mean());
    }

    @Test
    void singleServerAtRhoOneHalfIsNotSaturatedAndMatchesPollaczekKhinchine() {
        // M/G/1 with S = τ K, τ = 0.01 s, K ~ Geometric(0.1): E[S] = τ/p = 0.1 s, E[S²] = τ² (2 − p)/p² = 0.019 s².
        // λ = 5/s, ρ = 0.5. Pollaczek–Khinchine: W = E[S] + λ E[S²] / (2 (1 − ρ)) = 0.1 + 0.095 = 0.195 s.
        RunMetrics m = singleServer(5, 100_000, 5);
        assertThat(m.saturated()).isFalse();
        assertThat(m.overloadRatio()).isCloseTo(1.0, within(0.05));
        assertThat(m.load().queueGrowthFraction()).isCloseTo(0.0, within(0.01));
        assertThat(m.e2e().mean()).isCloseTo(0.195, within(0.195 * 0.03));
        assertThat(m.gpuUtilMean()).isCloseTo(0.5, within(0.02));
    }

    private static RunMetrics deterministicSingleServer(long seed, int requests, double rho) {
        // One sequence at a time, every request 10 tokens = 10 iterations of 10 ms: service 0.1 s, μ = 10/s; λ = ρ μ.
        return RunMetrics.of(run(limits(1, UNLIMITED_QUEUE), poisson(seed, requests, 10 * rho, fixed(10), ONE_PROFILE)));
    }

    @Test
    void slowOverloadAtRhoOnePointZeroFiveIsSaturatedThoughArrivalsBarelyExceedCompletions() {
        // λ = 10.5/s, μ = 10/s: the queue grows by 0.5 requests per second, 1 − μ/λ = 0.048 per arrival. Over the load
        // window of 20,000 arrivals (≈ 1,900 s) it grows by ≈ 950 requests against Poisson fluctuations of
        // ≈ √(λ · 1,900 s) ≈ 140. The overload ratio is only ≈ λ/μ = 1.05, under the 1.1 an offered/achieved cut-off
        // would need: the trend of the queue, not the ratio, shows the overload.
        for (long seed : new long[] {1, 2, 3}) {
            RunMetrics m = deterministicSingleServer(seed, 40_000, 1.05);
            assertThat(m.overloadRatio()).isLessThan(LoadAssessment.OVERLOAD_RATIO_THRESHOLD);
            assertThat(m.load().queueTrendFraction()).isCloseTo(1 - 1 / 1.05, within(0.02));
            assertThat(m.load().queueLenAtEnd()).isGreaterThan(m.load().queueLenAtMid() + 500);
            assertThat(m.saturated()).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void stableAtRhoZeroPointNineFiveIsNotSaturated() {
        // λ = 9.5/s, μ = 10/s (M/D/1, ρ = 0.95): the waiting queue is stationary, mean ρ² / (2 (1 − ρ)) ≈ 9, so its
        // trend over 20,000 window arrivals is ≈ 0, far below 0.02 per arrival.
        for (long seed : new long[] {1, 2, 3}) {
            RunMetrics m = deterministicSingleServer(seed, 40_000, 0.95);
            assertThat(m.load().queueTrendFraction()).isCloseTo(0.0, within(0.005));
            assertThat(m.saturated()).as("seed %d", seed).isFalse();
        }
    }

    @Test
    void stableBatchStillFillingAtTheLastArrivalIsNotSaturated() {
        // 256 slots, every request 1,000 tokens = 10 s of iterations, 20 arrivals/s: in steady state 200 run at once,
        // well under 256. 100 requests arrive within ≈ 5 s, so none completes before the last arrival: completions
        // lag arrivals (overload ratio +∞) only because the batch is still filling; nobody waits beyond the end of
        // the iteration in progress (< 10 ms of a 10 s latency), so the latency is flat.
        RunMetrics m = RunMetrics.of(run(limits(256, UNLIMITED_QUEUE), poisson(3, 100, 20, fixed(1_000), ONE_PROFILE)));
        assertThat(m.overloadRatio()).isInfinite();
        assertThat(m.load().queueGrowthFraction()).isZero();
        assertThat(m.latencyTrendRatio()).isCloseTo(1.0, within(0.002));
        assertThat(m.saturated()).isFalse();
    }

    @Test
    void boundedQueueThatShedsLoadIsSaturated() {
        // λ = 20/s against μ = 10/s with at most 5 waiting: the queue cannot grow, about half the arrivals are
        // rejected (QUEUE_FULL), latency stays bounded: the shedding is the overload signal.
        RunMetrics m = RunMetrics.of(run(limits(1, 5), poisson(9, 5_000, 20, fixed(10), ONE_PROFILE)));
        assertThat(m.failures().get(Outcome.QUEUE_FULL)).isGreaterThan(2_000);
        assertThat(m.load().queueGrowthFraction()).isCloseTo(0.0, within(0.01));
        assertThat(m.load().loadShedFraction()).isCloseTo(0.5, within(0.05));
        assertThat(m.overloadRatio()).isCloseTo(2.0, within(0.2));
        assertThat(m.saturated()).isTrue();
    }

    @Test
    void overloadIsDetectedWhenTheHorizonCutsTheRun() {
        // λ = 15/s, μ = 10/s (fixed 10-token outputs), stopped at 200 s: about 1,000 requests still in flight.
        RunMetrics m = RunMetrics.of(run(limits(1, UNLIMITED_QUEUE), poisson(4, 10_000, 15, fixed(10), ONE_PROFILE), 200));
        assertThat(m.inFlight()).isGreaterThan(500);
        assertThat(m.saturated()).isTrue();
        assertThat(m.overloadRatio()).isCloseTo(1.5, within(0.1));
    }

    @Test
    void tooFewArrivalsAreNotJudged() {
        RunMetrics m = RunMetrics.of(run(limits(1, UNLIMITED_QUEUE), poisson(1, 10, 100, fixed(10), ONE_PROFILE)));
        assertThat(m.overloadRatio()).isNaN();
        assertThat(m.saturated()).isFalse();
        assertThat(m.offeredRps()).isPositive();
    }
}
