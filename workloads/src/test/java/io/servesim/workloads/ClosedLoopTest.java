package io.servesim.workloads;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.workload.ClosedLoopSource;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Closed-loop load: N clients, each sending when its previous request ends plus a think time. On one replica
 * whose every iteration takes the same time the service is deterministic, so the closed network's throughput is
 * known exactly.
 */
class ClosedLoopTest {
    /** Seconds per iteration. */
    static final double ITERATION_SECONDS = 0.01;
    /**
     * Output tokens per request. A 1-token prompt is one prefill iteration that yields the first token, then 9
     * decode iterations yield the other 9: a request holds the replica for 10 iterations, S = 10 · 0.01 = 0.1 s.
     */
    static final int OUTPUT_TOKENS = 10;
    static final double SERVICE_SECONDS = OUTPUT_TOKENS * ITERATION_SECONDS;

    static WorkloadSpec closedLoop(int clients, double thinkSeconds, String distribution, long requests,
                                   String prompt, String output) {
        return WorkloadYaml.parse("""
                requests: %d
                profiles:
                  - name: clients
                    arrival: {type: closed_loop, concurrency: %d, think_time_seconds: %s, think_time_distribution: %s}
                    prompt: %s
                    output: %s
                """.formatted(requests, clients, thinkSeconds, distribution, prompt, output));
    }

    /** N clients sending 1-token prompts for {@link #OUTPUT_TOKENS} tokens, constant think time. */
    static WorkloadSpec deterministic(int clients, double thinkSeconds, long requests) {
        return closedLoop(clients, thinkSeconds, "constant", requests, "{type: fixed, value: 1}",
                "{type: fixed, value: " + OUTPUT_TOKENS + "}");
    }

    /** {@code maxNumSeqs} slots, ample KV memory, context and queue. */
    static ReplicaConfig limits(int maxNumSeqs) {
        return new ReplicaConfig(maxNumSeqs, Math.max(2048, maxNumSeqs), false, 4096, 1 << 20, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY);
    }

    static SimulationResult run(ReplicaConfig limits, StepTimeModel model, WorkloadSource source,
                                SimulationOptions options) {
        return new Simulation(List.of(new ReplicaSetup(limits, model, new ContinuousBatchingScheduler())),
                new RoundRobinRouter(), source, options).run();
    }

    static SimulationResult runDeterministic(int maxNumSeqs, WorkloadSource source) {
        return run(limits(maxNumSeqs), AffineStepTimeModel.constant(ITERATION_SECONDS), source, SimulationOptions.DEFAULT);
    }

    /** Completed requests per second among those finishing in [from, to). */
    static double throughput(SimulationResult result, double from, double to) {
        RequestTable t = result.requests();
        int count = 0;
        for (int r = 0; r < t.size(); r++) {
            double finish = t.finishTime(r);
            if (t.outcome(r) == Outcome.COMPLETED && finish >= from && finish < to) {
                count++;
            }
        }
        return count / (to - from);
    }

    /** The closed-network law checked on a window of whole cycles: throughput = N / (S + Z). */
    static void assertClosedNetworkThroughput(SimulationResult result, int clients, double thinkSeconds,
                                              double from, int cycles) {
        double cycle = SERVICE_SECONDS + thinkSeconds;
        assertThat(throughput(result, from, from + cycles * cycle))
                .as("throughput = N / (S + Z) = %d / (%s + %s)", clients, SERVICE_SECONDS, thinkSeconds)
                .isCloseTo(clients / cycle, within(1e-9));
    }

    @Test
    void throughputIsClientsOverServicePlusThinkWhenTheServerKeepsUp() {
        // N = 4 clients, one request at a time on the replica (max_num_seqs 1), S = 0.1 s, Z = 0.5 s.
        // N·S = 0.4 s ≤ S + Z = 0.6 s: after the first round (where clients 1–3 queue behind client 0) no request
        // waits; every client cycles in S + Z = 0.6 s, so throughput = N / (S + Z) = 4 / 0.6 = 6.667 req/s.
        // Measured over 10 whole cycles from t = 1.25 s (mid-cycle, so no completion sits on an edge): 40 requests
        // in 6 s.
        SimulationResult result = runDeterministic(1, Workload.compile(deterministic(4, 0.5, 200)).newSource(1));

        assertClosedNetworkThroughput(result, 4, 0.5, 1.25, 10);
        assertThat(result.arrived()).isEqualTo(200);
        assertThat(result.finishedRequests()).isEqualTo(200);
        assertThat(result.closedLoopClients()).isEqualTo(4);
        assertThat(result.workloadTruncated()).isFalse();
        // From the second round on, the response time is the service time: R = N/X − Z = 0.6 − 0.5 = 0.1 s.
        RequestTable t = result.requests();
        for (int r = 4; r < t.size(); r++) {
            assertThat(t.finishTime(r) - t.arrivalTime(r)).isCloseTo(SERVICE_SECONDS, within(1e-9));
        }
    }

    @Test
    void aFrontEndDelaysEveryRequestWithoutOccupyingTheServer() {
        // The same N = 4 clients, S = 0.1 s, Z = 0.5 s, with a front end of d = 0.05 s between each arrival and its
        // queue. The front end is a pure delay (an infinite-server station): a client's cycle is d + S + Z = 0.65 s,
        // so throughput = N / (d + S + Z) = 6.154 req/s, and the response time seen by the client is d + S = 0.15 s
        // (N·S = 0.4 s ≤ 0.65 s: nobody queues after the first round). Every request reaches the replica d after
        // it arrived: its first token is d + one iteration after its arrival.
        double frontEnd = 0.05;
        SimulationResult result = run(limits(1), AffineStepTimeModel.constant(ITERATION_SECONDS),
                Workload.compile(deterministic(4, 0.5, 200)).newSource(1),
                new SimulationOptions(Double.POSITIVE_INFINITY, true, frontEnd));

        double cycle = frontEnd + SERVICE_SECONDS + 0.5;
        assertThat(throughput(result, 1.3, 1.3 + 10 * cycle)).isCloseTo(4 / cycle, within(1e-9));
        assertThat(result.arrived()).isEqualTo(200);
        assertThat(result.finishedRequests()).isEqualTo(200);
        RequestTable t = result.requests();
        for (int r = 4; r < t.size(); r++) {
            assertThat(t.finishTime(r) - t.arrivalTime(r)).isCloseTo(frontEnd + SERVICE_SECONDS, within(1e-9));
            assertThat(t.firstTokenTime(r) - t.arrivalTime(r)).isCloseTo(frontEnd + ITERATION_SECONDS, within(1e-9));
        }
    }

    @Test
    void aFrontEndWithAHorizonLeavesItsRequestsInFlight() {
        // Requests still in the front end when the run stops have arrived and neither completed nor failed: with
        // d = 1 s and a horizon of 0.5 s, the four first requests arrive at t = 0 and are all still in flight.
        SimulationResult result = run(limits(1), AffineStepTimeModel.constant(ITERATION_SECONDS),
                Workload.compile(deterministic(4, 0.5, 200)).newSource(1),
                new SimulationOptions(0.5, true, 1.0));

        assertThat(result.arrived()).isEqualTo(4);
        assertThat(result.finishedRequests()).isZero();
    }

    @Test
    void aNegativeFrontEndIsAConfigurationError() {
        assertThatThrownBy(() -> new SimulationOptions(Double.POSITIVE_INFINITY, true, -0.001))
                .hasMessageContaining("engine.front_end_ms");
    }

    @Test
    void throughputIsOneOverServiceWhenClientsKeepTheServerBusy() {
        // N = 8: N·S = 0.8 s > S + Z = 0.6 s, so the single server never idles and throughput = 1 / S = 10 req/s
        // (the closed network's bound min(N / (S + Z), 1 / S)). Each client cycles in N·S = 0.8 s = R + Z, so the
        // response time is R = 0.3 s (Little's law: N = X · (R + Z) = 10 · 0.8).
        SimulationResult result = runDeterministic(1, Workload.compile(deterministic(8, 0.5, 400)).newSource(1));

        assertThat(throughput(result, 1.05, 6.05)).isCloseTo(1 / SERVICE_SECONDS, within(1e-9));
        RequestTable t = result.requests();
        for (int r = 16; r < t.size(); r++) {
            assertThat(t.finishTime(r) - t.arrivalTime(r)).isCloseTo(0.3, within(1e-9));
        }
    }

    @Test
    void continuousBatchingServesTheClientsTogether() {
        // N = 16 clients in one batch (max_num_seqs 64), S = 0.1 s, Z = 0.5 s: an iteration costs the same whatever
        // the batch, so each request takes S plus at most one iteration waiting for a boundary. Throughput lies in
        // [N / (S + c + Z), N / (S + Z)] = [26.23, 26.67] req/s, far above the one-at-a-time bound 1 / S = 10.
        SimulationResult result = runDeterministic(64, Workload.compile(deterministic(16, 0.5, 3200)).newSource(1));

        double x = throughput(result, 5, 95);
        assertThat(x).isBetween(16 / (SERVICE_SECONDS + ITERATION_SECONDS + 0.5) - 1e-9, 16 / (SERVICE_SECONDS + 0.5) + 1e-9);
        RunMetrics metrics = RunMetrics.of(result);
        assertThat(metrics.closedLoop()).isTrue();
        assertThat(metrics.columns()).containsEntry("closed_loop_clients", 16);
        assertThat(metrics.saturated()).isFalse();
    }

    /** A client that thinks twice: each end is reported one think time late (a broken feedback). */
    static ClosedLoopSource reportingEndsLate(ClosedLoopSource source, double delaySeconds) {
        return new ClosedLoopSource() {
            @Override
            public int clients() {
                return source.clients();
            }

            @Override
            public RequestSpec next() {
                return source.next();
            }

            @Override
            public double nextArrivalSeconds() {
                return source.nextArrivalSeconds();
            }

            @Override
            public void onRequestEnded(long id, double timeSeconds) {
                source.onRequestEnded(id, timeSeconds + delaySeconds);
            }

            @Override
            public boolean exhausted() {
                return source.exhausted();
            }

            @Override
            public List<ProfileInfo> profiles() {
                return source.profiles();
            }

            @Override
            public double outputTokensQuantile(double q) {
                return source.outputTokensQuantile(q);
            }
        };
    }

    @Test
    void theThroughputCheckFailsWhenTheFeedbackIsBroken() {
        // The same run as the first test, but every end reaches the client 0.5 s late: the cycle is S + 2Z = 1.1 s
        // and throughput 4 / 1.1 = 3.6 req/s, so the check of N / (S + Z) must fail.
        ClosedLoopSource source = (ClosedLoopSource) Workload.compile(deterministic(4, 0.5, 200)).newSource(1);
        SimulationResult broken = runDeterministic(1, reportingEndsLate(source, 0.5));

        assertThatThrownBy(() -> assertClosedNetworkThroughput(broken, 4, 0.5, 1.25, 10))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("throughput = N / (S + Z)");
    }

    /** Random lengths, exponential think times, tight KV memory and a context limit that some prompts break. */
    static WorkloadSpec busy(long requests) {
        return closedLoop(24, 0.2, "exponential", requests, "{type: uniform, min: 1, max: 1200}",
                "{type: uniform, min: 1, max: 300}");
    }

    static ReplicaConfig tight() {
        return new ReplicaConfig(16, 1024, true, 512, 120, 16, 1400, 1 << 20, Double.POSITIVE_INFINITY);
    }

    @Test
    void everyRequestEndsAndNoClientHasTwoInFlight() {
        SimulationResult result = run(tight(), new ContextDependentModel(0.005, 1e-7, 2e-5),
                Workload.compile(busy(3000)).newSource(9), SimulationOptions.DEFAULT);
        RequestTable t = result.requests();

        assertThat(result.arrived()).isEqualTo(3000);
        long completed = 0;
        long failed = 0;
        for (int r = 0; r < t.size(); r++) {
            completed += t.outcome(r) == Outcome.COMPLETED ? 1 : 0;
            failed += t.outcome(r).isFailure() ? 1 : 0;
        }
        assertThat(failed).as("prompts + outputs over the 1,400-token context fail, and their clients go on")
                .isPositive();
        assertThat(completed + failed).isEqualTo(3000);
        assertThat(result.cluster().replica(0).stats().preemptions()).isPositive();
        // At each arrival, the requests in flight (arrived, not yet ended) are at most N = 24.
        double[] ends = new double[t.size()];
        for (int r = 0; r < t.size(); r++) {
            ends[r] = t.finishTime(r);
        }
        Arrays.sort(ends);
        int endedBefore = 0;
        for (int r = 0; r < t.size(); r++) {
            while (endedBefore < ends.length && ends[endedBefore] <= t.arrivalTime(r)) {
                endedBefore++;
            }
            assertThat(r + 1 - endedBefore).isLessThanOrEqualTo(24);
        }
    }

    @Test
    void fastForwardAndSteppingGiveTheSameRunBitForBit() {
        List<SimulationResult> runs = new ArrayList<>();
        for (boolean fast : new boolean[] {true, true, false}) {
            runs.add(run(tight(), new ContextDependentModel(0.005, 1e-7, 2e-5), Workload.compile(busy(1500)).newSource(5),
                    SimulationOptions.DEFAULT.withFastForward(fast)));
        }
        RunFingerprint.assertBitIdentical(runs.get(1), runs.get(0));
        RunFingerprint.assertBitIdentical(runs.get(2), runs.get(0));
    }

    @Test
    void theHorizonLeavesTheWorkloadTruncatedWithAtMostNInFlight() {
        SimulationResult result = run(tight(), new ContextDependentModel(0.005, 1e-7, 2e-5),
                Workload.compile(busy(3000)).newSource(9), new SimulationOptions(5.0, true));

        assertThat(result.workloadTruncated()).isTrue();
        assertThat(result.arrived()).isLessThan(3000);
        assertThat(result.inFlight()).isBetween(1L, 24L);
    }

    @Test
    void rampUpStaggersTheFirstRequests() {
        // 4 clients over a 2-s ramp-up: first requests at 0, 0.5, 1.0 and 1.5 s (i · 2 / 4); each takes S = 0.1 s,
        // so they never overlap.
        WorkloadSpec spec = WorkloadYaml.parse("""
                requests: 8
                profiles:
                  - name: clients
                    arrival: {type: closed_loop, concurrency: 4, think_time_seconds: 10, ramp_up_seconds: 2}
                    prompt: {type: fixed, value: 1}
                    output: {type: fixed, value: 10}
                """);
        SimulationResult result = runDeterministic(1, Workload.compile(spec).newSource(1));

        RequestTable t = result.requests();
        assertThat(new double[] {t.arrivalTime(0), t.arrivalTime(1), t.arrivalTime(2), t.arrivalTime(3)})
                .containsExactly(0.0, 0.5, 1.0, 1.5);
        assertThat(t.arrivalTime(4)).isCloseTo(10.1, within(1e-9));
    }

    @Test
    void aDurationLimitEndsTheLoopWithoutTruncation() {
        WorkloadSpec spec = WorkloadYaml.parse("""
                requests: 1000
                duration_seconds: 3.5
                profiles:
                  - name: clients
                    arrival: {type: closed_loop, concurrency: 2, think_time_seconds: 0.9}
                    prompt: {type: fixed, value: 1}
                    output: {type: fixed, value: 10}
                """);
        SimulationResult result = runDeterministic(2, Workload.compile(spec).newSource(1));

        // Both clients cycle in S + Z = 1.0 s: sends at 0, 1, 2 and 3 s (the next, at 4 s, is after 3.5 s), 2 clients each.
        assertThat(result.arrived()).isEqualTo(8);
        assertThat(result.workloadTruncated()).isFalse();
    }
}
