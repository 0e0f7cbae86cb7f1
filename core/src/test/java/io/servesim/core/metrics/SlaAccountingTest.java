package io.servesim.core.metrics;

import io.servesim.core.workload.Sla;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

import static io.servesim.core.metrics.QueueingRuns.limits;
import static io.servesim.core.metrics.QueueingRuns.poisson;
import static io.servesim.core.metrics.QueueingRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SlaAccountingTest {
    private static final double[] PERCENTILES = {50, 90, 95, 99};

    @Test
    void violationRatesAgreeWithTheLatencyPercentilesOnRandomRuns() {
        // If the p-th percentile of a latency (type 7, over the Nc completed requests of the window) exceeds its
        // deadline, at least (1 − p/100)(Nc − 1) completed requests missed it; every other arrival of the window
        // failed or is in flight and violates too. So the violation rate over the W window arrivals is at least
        // (1 − p/100)(W − 1)/W. Goodput counts requests meeting every limit: never above the completions.
        SplittableRandom random = new SplittableRandom(2024);
        ToIntFunction<SplittableRandom> atLeastTwoTokens = r -> 1 + QueueingRuns.geometric(20).applyAsInt(r);
        int percentilesOverDeadline = 0;
        for (int run = 0; run < 40; run++) {
            Sla sla = new Sla(logUniform(random, 0.005, 2), logUniform(random, 0.002, 0.05),
                    logUniform(random, 0.005, 0.5));
            int slots = 1 << random.nextInt(5);
            double rate = random.nextDouble(5, 200);
            double horizon = random.nextBoolean() ? Double.POSITIVE_INFINITY : random.nextDouble(5, 50);
            double warmup = random.nextBoolean() ? 0 : 0.1;
            SimulationResult result = run(limits(slots, 1 + random.nextInt(2_000)),
                    new AffineStepTimeModel(0.005, 1e-4, 1e-3),
                    poisson(random.nextLong(), 2_000, rate, atLeastTwoTokens, List.of(new ProfileInfo("p", sla))),
                    horizon);
            RunMetrics m = RunMetrics.of(result, warmup);
            String label = "run " + run + " " + sla + " slots " + slots + " rate " + rate + " horizon " + horizon;
            long window = m.slaByProfile().get(0).arrivals();
            double floorShare = (window - 1.0) / window;
            for (double p : PERCENTILES) {
                double atLeast = (1 - p / 100) * floorShare - 1e-12;
                if (percentile(m.ttft(), p) > sla.ttftSeconds() || percentile(m.tpot(), p) > sla.tpotSeconds()) {
                    percentilesOverDeadline++;
                    assertThat(m.slaRequestViolationRate()).as(label + " p" + p).isGreaterThanOrEqualTo(atLeast);
                }
                if (percentile(m.normLatency(), p) > sla.normalizedLatencySecondsPerToken()) {
                    assertThat(m.slaNormViolationRate()).as(label + " p" + p).isGreaterThanOrEqualTo(atLeast);
                }
            }
            assertThat(m.goodputRps()).as(label).isLessThanOrEqualTo(m.throughputRps());
            assertThat(m.goodputFraction()).as(label)
                    .isLessThanOrEqualTo(1 - Math.max(m.slaRequestViolationRate(), m.slaNormViolationRate()) + 1e-12);
        }
        assertThat(percentilesOverDeadline).as("cases where the invariant bites").isGreaterThan(40);
    }

    private static double logUniform(SplittableRandom random, double low, double high) {
        return Math.exp(random.nextDouble(Math.log(low), Math.log(high)));
    }

    private static double percentile(RunMetrics.LatencySummary s, double p) {
        return p == 50 ? s.p50() : p == 90 ? s.p90() : p == 95 ? s.p95() : s.p99();
    }

    @Test
    void failedAndInFlightRequestsViolateBothSlasAndAreNotGood() {
        // 10 ms iterations, default SLA (TTFT 2 s). Request 0 completes at 0.05 s (all limits met); request 1's
        // 5,000-token prompt exceeds the 2,048-token budget (fails at once); request 2 (10,000 output tokens, first
        // token at 0.11 s, within its TTFT) is still decoding when the run stops at 1 s.
        SimulationResult r = run(limits(8, 100), ListWorkloadSource.ofRows(
                new double[] {0.0, 1, 5}, new double[] {0.05, 5_000, 5}, new double[] {0.1, 1, 10_000}), 1.0);
        RunMetrics m = RunMetrics.of(r);
        assertThat(m.completed()).isEqualTo(1);
        assertThat(m.failures().get(Outcome.EXCEEDS_TOKEN_BUDGET)).isEqualTo(1);
        assertThat(m.inFlight()).isEqualTo(1);
        assertThat(m.slaRequestViolationRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.slaNormViolationRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.goodputFraction()).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void eachRequestIsJudgedByTheSlaOfItsProfile() {
        // One sequence at a time, 10 ms iterations, 2-token outputs (20 ms of service). Strict profile: TTFT 15 ms;
        // lenient: TTFT 2 s. Request 0 (strict, t = 0) has its first token at 10 ms: met. Request 1 (strict,
        // t = 1 ms) waits for request 0 to end at 20 ms, first token at 30 ms: TTFT 29 ms > 15 ms, missed.
        // Request 2 (lenient, t = 2 ms) starts at 40 ms, first token at 50 ms: TTFT 48 ms < 2 s, met.
        Sla strict = new Sla(0.015, 1, 1);
        Sla lenient = new Sla(2, 1, 1);
        ListWorkloadSource workload = new ListWorkloadSource(List.of(
                new RequestSpec(0, 0.000, 1, 2, 0, -1, 0),
                new RequestSpec(1, 0.001, 1, 2, 0, -1, 0),
                new RequestSpec(2, 0.002, 1, 2, 1, -1, 0)),
                List.of(new ProfileInfo("strict", strict), new ProfileInfo("lenient", lenient)));
        RunMetrics m = RunMetrics.of(run(limits(1, 100), workload));
        assertThat(m.slaByProfile()).extracting(ProfileSlaResult::profile, ProfileSlaResult::arrivals,
                        ProfileSlaResult::requestViolations, ProfileSlaResult::good)
                .containsExactly(Tuple.tuple("strict", 2L, 1L, 1L),
                        Tuple.tuple("lenient", 1L, 0L, 1L));
        assertThat(m.slaRequestViolationRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(m.slaMixed()).isTrue();
        assertThat(m.columns()).containsEntry("sla_per_profile", true);
        assertThat((double) m.columns().get("sla_ttft_s")).isNaN();
    }

    @Test
    void warmUpAndCoolDownLeaveTheFirstAndLastArrivalsOutOfSlaFigures() {
        // Ten requests one second apart, 5 output tokens each (50 ms, every limit met), except the first and the
        // last, whose 5,000-token prompts exceed the token budget and fail. Over all arrivals 2 of 10 violate;
        // leaving out 10 % at each end measures requests 1…8, which all meet the SLA.
        double[][] rows = new double[10][];
        for (int i = 0; i < 10; i++) {
            rows[i] = new double[] {i, i == 0 || i == 9 ? 5_000 : 1, 5};
        }
        SimulationResult r = run(limits(1, 100), ListWorkloadSource.ofRows(rows));
        assertThat(RunMetrics.of(r).slaRequestViolationRate()).isCloseTo(0.2, within(1e-12));
        RunMetrics steady = RunMetrics.of(r, 0.1);
        assertThat(steady.slaByProfile().get(0).arrivals()).isEqualTo(8);
        assertThat(steady.slaRequestViolationRate()).isZero();
        assertThat(steady.goodputFraction()).isEqualTo(1.0);
    }
}
