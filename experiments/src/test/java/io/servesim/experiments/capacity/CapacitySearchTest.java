package io.servesim.experiments.capacity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.experiments.capacity.CapacityResult.Status;
import io.servesim.experiments.scenario.Scenario;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CapacitySearchTest {
    /** Iteration time of the deterministic server, seconds. */
    private static final double TAU = 0.01;
    /** Output tokens per request: service D = 10 · τ = 0.1 s. */
    private static final int OUTPUT_TOKENS = 10;
    private static final double SERVICE_SECONDS = OUTPUT_TOKENS * TAU;

    /** Every replica runs iterations of exactly τ, whatever the batch: the deterministic server of queueing theory. */
    private static final Module CONSTANT_ITERATIONS = new AbstractModule() {
        @Provides
        ReplicaPool replicaPool(ReplicaConfig limits) {
            return new ReplicaPool(limits, AffineStepTimeModel.constant(TAU), 1);
        }
    };

    private static Scenario singleServer(double ttftDeadlineSeconds) throws Exception {
        String yaml = """
                seed: 17
                engine: {max_num_seqs: 1}
                workload:
                  requests: 1000
                  profiles:
                    - name: md1
                      rate_per_second: 1
                      prompt: {type: fixed, value: 1}
                      output: {type: fixed, value: %d}
                      sla: {ttft_seconds: %s, tpot_seconds: 1, normalized_latency_seconds_per_token: 10}
                """.formatted(OUTPUT_TOKENS, ttftDeadlineSeconds);
        return Scenario.fromTree((ObjectNode) ConfigMapper.yaml().readTree(yaml));
    }

    /**
     * P(W ≤ t) for the waiting time W of an M/D/1 queue (arrival rate λ, service D), Erlang's formula:
     * P(W ≤ t) = (1 − ρ) Σ_{k=0}^{⌊t/D⌋} [λ(kD − t)]^k / k! · e^{−λ(kD − t)}, ρ = λD. Its mean is the
     * Pollaczek–Khinchine wait ρD / (2(1 − ρ)).
     */
    static double md1WaitCdf(double lambda, double serviceSeconds, double t) {
        double sum = 0;
        for (int k = 0; k <= (int) Math.floor(t / serviceSeconds + 1e-12); k++) {
            double x = lambda * (k * serviceSeconds - t);
            double term = Math.exp(-x);
            for (int j = 1; j <= k; j++) {
                term *= x / j;
            }
            sum += term;
        }
        return (1 - lambda * serviceSeconds) * sum;
    }

    /** The λ at which P(W ≤ t) = q, by bisection on (0, 1/D) (the CDF falls as λ grows). */
    static double md1RateForWaitQuantile(double serviceSeconds, double t, double q) {
        double lo = 0;
        double hi = 1 / serviceSeconds;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (md1WaitCdf(mid, serviceSeconds, t) >= q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void md1WaitCdfHasThePollaczekKhinchineMean() {
        // E[W] = ∫ (1 − F(t)) dt must equal ρD / (2(1 − ρ)) = 0.05 s at λ = 5/s, D = 0.1 s (ρ = 0.5). The tail
        // beyond 1.5 s is below 1e-9 (and the alternating sum loses precision for much larger t / D).
        double lambda = 5;
        double dt = 1e-4;
        double mean = 0;
        for (double t = dt / 2; t < 1.5; t += dt) {
            mean += (1 - md1WaitCdf(lambda, SERVICE_SECONDS, t)) * dt;
        }
        assertThat(mean).isCloseTo(0.5 * 0.1 / (2 * 0.5), within(1e-6));
    }

    @Test
    void findsTheMd1RateAtWhichNinetyPercentMeetTheTtftDeadline() throws Exception {
        // M/D/1: one sequence at a time, prompt 1 token, 10 output tokens, τ = 10 ms ⇒ service D = 0.1 s; the first
        // token comes one iteration after service starts, so TTFT = W + τ. With a TTFT deadline of 0.51 s (TPOT and
        // per-token limits slack) a request is good iff W ≤ 0.5 s, and goodput_fraction ≥ 0.9 iff P(W ≤ 0.5) ≥ 0.9.
        // Erlang's M/D/1 waiting-time distribution gives λ* ≈ 7.996/s (ρ ≈ 0.80).
        double waitLimit = 0.5;
        double theory = md1RateForWaitQuantile(SERVICE_SECONDS, waitLimit, 0.9);
        CapacityOptions options = new CapacityOptions(0.9, 0.02, 50_000L, null, 20);
        CapacityResult result = CapacitySearch.find(singleServer(waitLimit + TAU), options, probe -> { },
                CONSTANT_ITERATIONS);
        assertThat(result.status()).isEqualTo(Status.FOUND);
        assertThat(result.lowestFailingRps()).isLessThanOrEqualTo(result.capacityRps() * 1.02);
        // The search brackets the crossing of the measured goodput within 2 %; the measured crossing itself is one
        // sample of 50k requests (≈ 0.5 % off λ*), hence the extra 1 % either side.
        assertThat(theory).isBetween(result.capacityRps() * 0.99, result.lowestFailingRps() * 1.01);
        assertThat(result.capacityRpsPerGpu()).isEqualTo(result.capacityRps());
        assertThat(result.probes()).allSatisfy(p -> assertThat(p.passed())
                .isEqualTo(p.goodputFraction() >= 0.9 && !p.saturated()));
    }

    @Test
    void everyProbeFailingReportsACapacityBelowTheLowestProbe() throws Exception {
        // A TTFT deadline of 5 ms is shorter than the first iteration (10 ms): no rate can meet it.
        CapacityResult result = CapacitySearch.find(singleServer(0.005), new CapacityOptions(0.9, 0.02, 500L, null, 4),
                probe -> { }, CONSTANT_ITERATIONS);
        assertThat(result.status()).isEqualTo(Status.BELOW_LOWEST_PROBE);
        assertThat(result.capacityRps()).isNaN();
        assertThat(result.probes()).hasSize(4).extracting(CapacityProbe::rpsScale).containsExactly(1.0, 0.5, 0.25, 0.125);
    }
}
