package io.servesim.workloads;

import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

class MixedWorkloadTest {
    private static final String TWO_PROFILES = """
            requests: 20000
            profiles:
              - name: chat
                rate_per_second: 4
                prompt: {type: lognormal, mu: 6.0, sigma: 0.5}
                output: {type: lognormal, mu: 5.0, sigma: 0.8, min: 8, max: 2048}
              - name: code
                rate_per_second: 2
                arrival: {type: gamma, cv: 2}
                prompt: {type: uniform, min: 100, max: 300}
                output: {type: exponential, mean: 100}
            """;
    private static final String THIRD_PROFILE = """
              - name: docs
                rate_per_second: 3
                prompt: {type: fixed, value: 4000}
                output: {type: fixed, value: 50}
            """;

    private static List<RequestSpec> drain(WorkloadSpec spec, long seed) {
        WorkloadSource source = Workloads.create(spec, new SplittableRandom(seed));
        List<RequestSpec> requests = new ArrayList<>();
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            requests.add(r);
        }
        return requests;
    }

    /** A request without its global id, to compare one profile's traffic across workloads. */
    private record Traffic(double arrivalTime, int promptTokens, int outputTokens) {
    }

    private static List<Traffic> trafficOf(List<RequestSpec> requests, int profile, int count) {
        return requests.stream().filter(r -> r.profile() == profile).limit(count)
                .map(r -> new Traffic(r.arrivalTime(), r.promptTokens(), r.outputTokens())).toList();
    }

    @Test
    void sameSeedGivesTheSameSequence() {
        WorkloadSpec spec = WorkloadYaml.parse(TWO_PROFILES);
        assertThat(drain(spec, 42)).isEqualTo(drain(spec, 42)).isNotEqualTo(drain(spec, 43));
    }

    @Test
    void addingAProfileDoesNotChangeTheOthers() {
        List<RequestSpec> two = drain(WorkloadYaml.parse(TWO_PROFILES), 42);
        List<RequestSpec> three = drain(WorkloadYaml.parse(TWO_PROFILES + THIRD_PROFILE), 42);
        assertThat(three).anyMatch(r -> r.profile() == 2);
        for (int profile = 0; profile < 2; profile++) {
            assertThat(trafficOf(three, profile, 3000)).hasSize(3000).isEqualTo(trafficOf(two, profile, 3000));
        }
    }

    @Test
    void idsAreDenseAndArrivalsNeverDecrease() {
        List<RequestSpec> requests = drain(Presets.load("heavy").withRequests(50_000), 1);
        assertThat(requests).hasSize(50_000);
        for (int i = 0; i < requests.size(); i++) {
            assertThat(requests.get(i).id()).isEqualTo(i);
            if (i > 0) {
                assertThat(requests.get(i).arrivalTime()).isGreaterThanOrEqualTo(requests.get(i - 1).arrivalTime());
            }
        }
    }

    @Test
    void rpsScaleDividesEveryArrivalTimeWithTheSameDraws() {
        // Poisson and gamma gaps are draw / rate, so ×200 rates give the same requests 200 times sooner.
        WorkloadSpec spec = WorkloadYaml.parse(TWO_PROFILES).withRequests(2000);
        List<RequestSpec> base = drain(spec, 9);
        List<RequestSpec> scaled = drain(spec.withRpsScale(200), 9);
        for (int i = 0; i < base.size(); i++) {
            assertThat(scaled.get(i).arrivalTime()).isCloseTo(base.get(i).arrivalTime() / 200, offset(1e-9));
            assertThat(scaled.get(i).promptTokens()).isEqualTo(base.get(i).promptTokens());
        }
    }

    @Test
    void rpsScaleMultipliesTheMeasuredRate() {
        // 6 req/s × 200 = 1,200 req/s: 200,000 requests take about 166.7 s.
        List<RequestSpec> requests = drain(WorkloadYaml.parse(TWO_PROFILES).withRequests(200_000).withRpsScale(200), 3);
        double rate = requests.size() / requests.get(requests.size() - 1).arrivalTime();
        assertThat(rate).isCloseTo(1200, within(1200 * 0.02));
    }

    @Test
    void sharesSplitTheWorkloadRate() {
        WorkloadSpec spec = WorkloadYaml.parse("""
                rate_per_second: 10
                rps_scale: 3
                duration_seconds: 100
                profiles:
                  - {name: a, share: 0.25, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                  - {name: b, share: 0.75, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                """);
        Workload workload = Workload.compile(spec);
        // 10 req/s · 0.25 · 3 = 7.5 req/s and 10 · 0.75 · 3 = 22.5 req/s
        assertThat(workload.profiles().get(0).requestRatePerSecond()).isEqualTo(7.5);
        assertThat(workload.profiles().get(1).requestRatePerSecond()).isEqualTo(22.5);
        List<RequestSpec> requests = drain(spec, 4);
        assertThat(requests.get(requests.size() - 1).arrivalTime()).isLessThanOrEqualTo(100.0);
        assertThat((double) requests.size()).isCloseTo(3000, within(3000 * 0.06));
    }

    @Test
    void outputQuantileOfTheMixMatchesAHandCalculation() {
        // 1 req/s with 100-token outputs and 3 req/s with 300: P(N ≤ 100) = 1/4, so q ≤ 0.25 → 100 and q > 0.25 → 300.
        WorkloadSource source = Workloads.create(WorkloadYaml.parse("""
                requests: 10
                profiles:
                  - {name: short, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 100}}
                  - {name: long, rate_per_second: 3, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 300}}
                """), new SplittableRandom(1));
        assertThat(source.outputTokensQuantile(0.25)).isEqualTo(100.0);
        assertThat(source.outputTokensQuantile(0.26)).isEqualTo(300.0);
        assertThat(source.profiles()).extracting(p -> p.name()).containsExactly("short", "long");
    }

    @Test
    void multiTurnSessionsCarryTheirHistory() {
        WorkloadSpec spec = WorkloadYaml.parse("""
                requests: 20000
                profiles:
                  - name: chat
                    rate_per_second: 8
                    prompt: {type: uniform, min: 50, max: 150}
                    output: {type: uniform, min: 20, max: 60}
                    session: {turns: {type: uniform, min: 2, max: 4}, think_time_seconds: 10, max_context_tokens: 600}
                """);
        List<RequestSpec> requests = drain(spec, 5);
        Map<Long, RequestSpec> lastTurn = new HashMap<>();
        for (RequestSpec r : requests) {
            assertThat(r.promptTokens()).isLessThanOrEqualTo(600);
            RequestSpec previous = lastTurn.put(r.sessionId(), r);
            if (r.turn() == 0) {
                assertThat(previous).isNull();
                assertThat(r.sessionId()).isEqualTo(r.id());
            } else {
                // prompt_k = min(600, prompt_{k−1} + output_{k−1} + message_k) with message_k in [50, 150]
                assertThat(previous.turn()).isEqualTo(r.turn() - 1);
                assertThat(r.arrivalTime()).isGreaterThanOrEqualTo(previous.arrivalTime());
                int history = previous.promptTokens() + previous.outputTokens();
                assertThat(r.promptTokens()).isBetween(Math.min(600, history + 50), Math.min(600, history + 150));
            }
        }
        // sessions start at 8 / 3 per second (mean of 2..4 turns = 3), so requests still arrive at 8 per second
        double rate = requests.size() / requests.get(requests.size() - 1).arrivalTime();
        assertThat(rate).isCloseTo(8, within(8 * 0.03));
    }

    @Test
    void durationStopsAtTheFirstArrivalAfterIt() {
        List<RequestSpec> requests = drain(WorkloadYaml.parse(TWO_PROFILES).withDurationSeconds(50), 6);
        // 6 req/s over 50 s ≈ 300 requests
        assertThat(requests.get(requests.size() - 1).arrivalTime()).isLessThanOrEqualTo(50.0);
        assertThat((double) requests.size()).isCloseTo(300, within(75.0));
    }
}
