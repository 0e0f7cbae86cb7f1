package io.servesim.experiments.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Invariants of whole runs over random deployments (replicas, TP, PP), engine limits, every registered batching
 * policy (static, continuous, dynamic, multi-bin with K in 1..8 and static or dynamic batches, parallel streams,
 * simple), every router and small Poisson workloads, composed exactly as {@code servesim run} composes them.
 */
class ScenarioInvariantsPropertyTest {

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> deployment = Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(1, 2),
                Arbitraries.of(1, 1, 2)).as((replicas, tp, pp) ->
                String.format(Locale.ROOT, "{model: Llama-2-7B, gpu: H100-SXM, replicas: %d, tp: %d, pp: %d}", replicas, tp, pp));
        Arbitrary<String> engine = Combinators.combine(Arbitraries.integers().between(1, 48),
                Arbitraries.integers().between(256, 4096), Arbitraries.of(true, false), Arbitraries.of("5", "50", "1.0e9"))
                .as((seqs, budget, chunked, timeout) -> String.format(Locale.ROOT,
                        "{max_num_seqs: %d, max_num_batched_tokens: %d, chunked_prefill: %s, queue_timeout_seconds: %s}",
                        seqs, Math.max(seqs, budget), chunked, timeout));
        Arbitrary<String> staticBatch = Combinators.combine(Arbitraries.integers().between(1, 8),
                Arbitraries.of("0.0", "0.5", "1.0e9")).as((b, wait) -> "{type: static, batch_size: " + b
                + ", max_wait_seconds: " + wait + "}");
        Arbitrary<String> multiBin = Combinators.combine(Arbitraries.integers().between(1, 8),
                        Arbitraries.of("exact", "noisy"), Arbitraries.oneOf(staticBatch, Arbitraries.just("{type: dynamic}")))
                .as((k, predictor, batching) -> "{type: multi_bin, bins: " + k + ", predictor: " + predictor
                        + ", batching: " + batching + "}");
        Arbitrary<String> scheduler = Arbitraries.oneOf(staticBatch, multiBin,
                Arbitraries.of("{type: continuous}", "{type: continuous, capacity_policy: guaranteed_no_evict}",
                        "{type: dynamic}", "{type: simple}", "{type: parallel_stream, streams: 2}",
                        "{type: parallel_stream, streams: 3, strategy: balanced}"));
        Arbitrary<String> router = Arbitraries.of("round_robin", "random", "least_loaded", "power_of_two");
        Arbitrary<String> workload = Combinators.combine(Arbitraries.integers().between(20, 250),
                        Arbitraries.integers().between(1, 60), Arbitraries.integers().between(2, 1500),
                        Arbitraries.integers().between(2, 500))
                .as((requests, rate, prompt, output) -> String.format(Locale.ROOT, """
                        {requests: %d, profiles: [{name: p, rate_per_second: %d, arrival: {type: poisson},
                         prompt: {type: uniform, min: 1, max: %d}, output: {type: uniform, min: 1, max: %d}}]}""",
                        requests, rate, prompt, output));
        // Parallel streams share one GPU's memory and need pp = 1 (a configuration error otherwise).
        return Combinators.combine(Arbitraries.longs().between(0, 1_000_000), deployment, engine, scheduler, router,
                        workload).as((seed, d, e, s, r, w) -> String.format(Locale.ROOT,
                        "{seed: %d, deployment: %s, engine: %s, scheduler: %s, router: {type: %s}, workload: %s}",
                        seed, d, e, s, r, w))
                .filter(yaml -> !(yaml.contains("parallel_stream") && yaml.contains("pp: 2")))
                .map(ScenarioInvariantsPropertyTest::scenario);
    }

    /**
     * Found by {@link #everyRequestEndsOnceAndTheRunKeepsItsBooks}: static batches that wait for B requests, a queue
     * timeout, and a tail of fewer than B requests. The idle replica woke up at the head's timeout, the batch was
     * not ready, the head stayed, and the replica woke up at the same instant forever. The head now fails with
     * TIMEOUT at that wake-up, alone and inside multi-bin batching.
     */
    @Example
    void aStaticBatchThatIsNotReadyStillTimesOutItsHead() {
        for (String scheduler : List.of("{type: static, batch_size: 5, max_wait_seconds: 1.0e9}",
                "{type: multi_bin, bins: 2, batching: {type: static, batch_size: 5, max_wait_seconds: 1.0e9}}")) {
            Scenario scenario = scenario("""
                    {deployment: {replicas: 1}, engine: {queue_timeout_seconds: 5}, scheduler: %s,
                     workload: {requests: 7, profiles: [{name: p, rate_per_second: 1, arrival: {type: constant},
                      prompt: {type: fixed, value: 10}, output: {type: uniform, min: 1, max: 20}}]}}""".formatted(scheduler));
            ScenarioRun run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ScenarioRunner.run(scenario));
            // 7 arrivals one second apart: one batch of 5 starts at 4 s; the last 2 never make a batch and time out.
            assertThat(run.metrics().failures().get(Outcome.TIMEOUT)).as(scheduler).isEqualTo(2L);
            assertThat(run.metrics().completed()).isEqualTo(5);
        }
    }

    private static Scenario scenario(String yaml) {
        try {
            return Scenario.fromTree((ObjectNode) ConfigMapper.yaml().readTree(yaml));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(yaml, e);
        }
    }

    @Property(tries = 40, seed = "20261128")
    void everyRequestEndsOnceAndTheRunKeepsItsBooks(@ForAll("scenarios") Scenario scenario) {
        ScenarioRun run = ScenarioRunner.run(scenario);
        SimulationResult r = run.result();
        RequestTable t = r.requests();
        // Without a horizon every request ends: arrived = completed + failed, none in flight.
        assertThat(run.metrics().arrived()).isEqualTo(run.metrics().completed() + run.metrics().failed()
                + run.metrics().inFlight());
        assertThat(run.metrics().inFlight()).isZero();
        assertThat(r.finishedRequests()).isEqualTo(t.size());
        double previousArrival = 0;
        for (int i = 0; i < t.size(); i++) {
            Outcome outcome = t.outcome(i);
            assertThat(outcome).isNotEqualTo(Outcome.IN_FLIGHT);
            assertThat(t.arrivalTime(i)).isGreaterThanOrEqualTo(previousArrival);
            previousArrival = t.arrivalTime(i);
            assertThat(t.finishTime(i)).isGreaterThanOrEqualTo(t.arrivalTime(i)).isLessThanOrEqualTo(r.horizonSeconds());
            if (outcome == Outcome.COMPLETED) {
                // TTFT ≤ e2e, and a completed request generated exactly the output it asked for.
                assertThat(t.firstTokenTime(i) - t.arrivalTime(i)).isLessThanOrEqualTo(t.finishTime(i) - t.arrivalTime(i));
                assertThat(t.firstTokenTime(i)).isGreaterThanOrEqualTo(t.firstScheduledTime(i));
                assertThat(t.generatedTokens(i)).isEqualTo(t.outputTokens(i));
            }
        }
        for (int e = 0; e < r.cluster().replicaCount(); e++) {
            Replica engine = r.cluster().replica(e);
            assertThat(engine.stats().peakUsedBlocks()).isBetween(0, engine.totalKvBlocks());
            assertThat(engine.stats().usedKvBlocks()).isZero();
        }
    }

    @Property(tries = 20, seed = "20261128")
    void fastForwardAndSteppingGiveTheSameMetricsAndRecords(@ForAll("scenarios") Scenario scenario) {
        ScenarioRun fast = ScenarioRunner.run(scenario);
        ScenarioRun stepped = ScenarioRunner.run(scenario.withEngine(scenario.engine().withFastForward(false)));
        // Stepping posts one event per iteration; everything simulated is the same bit for bit.
        Map<String, Object> fastColumns = new LinkedHashMap<>(fast.metrics().columns());
        Map<String, Object> steppedColumns = new LinkedHashMap<>(stepped.metrics().columns());
        fastColumns.remove("events");
        steppedColumns.remove("events");
        assertThat(steppedColumns).isEqualTo(fastColumns);
        assertThat(RunFingerprint.of(stepped.result())).isEqualTo(RunFingerprint.of(fast.result()));
    }

    @Property(tries = 10, seed = "20261128")
    void runsOnTwoThreadsGiveWhatTheyGiveOneAfterTheOther(@ForAll("scenarios") Scenario first,
                                                           @ForAll("scenarios") Scenario second) throws Exception {
        List<Object> serial = List.of(fingerprint(ScenarioRunner.run(first)), fingerprint(ScenarioRunner.run(second)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Object> a = pool.submit(() -> fingerprint(ScenarioRunner.run(first)));
            Future<Object> b = pool.submit(() -> fingerprint(ScenarioRunner.run(second)));
            assertThat(List.of(a.get(), b.get())).isEqualTo(serial);
        } finally {
            pool.shutdown();
        }
    }

    private static Object fingerprint(ScenarioRun run) {
        return List.of(run.metrics().columns(), RunFingerprint.of(run.result()));
    }

}
