package io.servesim.experiments.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.observe.TimeSeriesRecorder;
import io.servesim.core.engine.SimulationResult;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.schedulers.SchedulerSpec;

import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Queueing theory against the engine. A replica that runs one sequence at a time ({@code max_num_seqs 1}) on
 * one-token prompts, with every iteration taking τ, is a single FIFO server whose service time is S = N·τ for an
 * output of N tokens (the prefill iteration makes the first token, N − 1 decode iterations the rest). With
 * Poisson arrivals at rate λ it is an M/G/1 queue, and the Pollaczek–Khinchine formula gives the mean wait
 * <pre>
 *   W_q = λ · E[S²] / (2 (1 − ρ)),   ρ = λ · E[S],   mean sojourn W = W_q + E[S].
 * </pre>
 */
final class QueueingTheoryChecks {
    /** Seconds per iteration of the idealised server. */
    static final double TAU_SECONDS = 0.001;
    /** Utilisation of the single-server checks. */
    static final double RHO = 0.5;
    /** Output tokens of the deterministic server, and the mean of the exponential draw of the Markovian one. */
    static final int OUTPUT_TOKENS = 20;

    private QueueingTheoryChecks() {
    }

    /**
     * M/M/1 in the discrete form the workload actually draws: outputs N = round(max(X, 1)) with X exponential of
     * mean m (rounding half-up, as the workloads module documents), so P(N > k) = e^{−(k + ½)/m} for k ≥ 1 — a
     * geometric tail. With q = e^{−1/m} and a = e^{−3/(2m)}:
     * <pre>
     *   E[N]  = 1 + a / (1 − q)
     *   E[N²] = Σ_k (2k − 1) P(N ≥ k) = 1 + a · (3 / (1 − q) + 2q / (1 − q)²)
     * </pre>
     * and the P-K formula with S = N·τ predicts the mean sojourn time (for m = 20: E[N] = 20.50, C² ≈ 0.95, so
     * W ≈ 2·E[S] as for the exponential server).
     */
    static ValidationCheck markovianSojournTime(int requests, long seed) {
        double m = OUTPUT_TOKENS;
        double q = Math.exp(-1 / m);
        double a = Math.exp(-1.5 / m);
        double meanTokens = 1 + a / (1 - q);
        double meanSquareTokens = 1 + a * (3 / (1 - q) + 2 * q / ((1 - q) * (1 - q)));
        double lambda = RHO / (TAU_SECONDS * meanTokens);
        double meanService = TAU_SECONDS * meanTokens;
        double predicted = meanService + lambda * TAU_SECONDS * TAU_SECONDS * meanSquareTokens / (2 * (1 - RHO));
        SimulationResult run = runSingleServer(requests, lambda, "{type: exponential, mean: " + m + "}", seed);
        RequestTable t = run.requests();
        double sum = 0;
        for (int r = 0; r < t.size(); r++) {
            sum += t.finishTime(r) - t.arrivalTime(r);
        }
        return ValidationCheck.compare(String.format(Locale.ROOT, "queueing: M/M/1 mean sojourn time (rho %.2f, %,d requests)",
                RHO, requests), predicted, sum / t.size(), "s", 0.02);
    }

    /** M/D/1: every output is D tokens, S = D·τ, so W_q = ρ · S / (2 (1 − ρ)) (P-K with E[S²] = S²). */
    static ValidationCheck deterministicWaitingTime(int requests, long seed) {
        double service = TAU_SECONDS * OUTPUT_TOKENS;
        double lambda = RHO / service;
        double predicted = RHO * service / (2 * (1 - RHO));
        SimulationResult run = runSingleServer(requests, lambda, "{type: fixed, value: " + OUTPUT_TOKENS + "}", seed);
        RequestTable t = run.requests();
        double sum = 0;
        for (int r = 0; r < t.size(); r++) {
            sum += t.firstScheduledTime(r) - t.arrivalTime(r);
        }
        return ValidationCheck.compare(String.format(Locale.ROOT, "queueing: M/D/1 mean waiting time (rho %.2f, %,d requests)",
                RHO, requests), predicted, sum / t.size(), "s", 0.02);
    }

    private static SimulationResult runSingleServer(int requests, double lambda, String output, long seed) {
        String workload = String.format(Locale.ROOT, """
                requests: %d
                profiles:
                  - name: queue
                    rate_per_second: %.17g
                    arrival: {type: poisson}
                    prompt: {type: fixed, value: 1}
                    output: %s
                """, requests, lambda, output);
        SimulationResult run = TheoryRuns.run(TheoryRuns.workload(workload), new SchedulerSpec.Continuous(null),
                TheoryRuns.unboundedReplica(1), TAU_SECONDS, seed);
        requireAllCompleted(run);
        return run;
    }

    /**
     * Little's law L = λW on a busy deployment (four Llama-2-7B replicas on H100s, continuous batching, least-loaded
     * routing, Poisson traffic). Over the arrival window [0, T], T the last arrival: L is the time average of the
     * requests the engines hold (queued or batched), sampled from the engines' own state on a fixed grid; λ is
     * arrivals / T and W the mean end-to-end latency, from the request table. The two sides come from different
     * records of the run and differ by sampling error and by the work still in the system at T (of order W / T).
     */
    /** Grid of the engine samples Little's law averages (about 100 per mean end-to-end latency). */
    static final double LITTLE_SAMPLE_SECONDS = 0.01;

    static ValidationCheck littlesLaw(int requests, long seed) {
        String yaml = String.format(Locale.ROOT, """
                seed: %d
                deployment: {model: Llama-2-7B, gpu: H100-SXM, replicas: 4}
                engine: {max_num_seqs: 128}
                scheduler: {type: continuous}
                router: {type: least_loaded}
                workload:
                  requests: %d
                  profiles:
                    - name: chat
                      rate_per_second: 60
                      arrival: {type: poisson}
                      prompt: {type: uniform, min: 100, max: 1000}
                      output: {type: uniform, min: 20, max: 400}
                """, seed, requests);
        Scenario scenario;
        try {
            scenario = Scenario.fromTree((ObjectNode) ConfigMapper.yaml().readTree(yaml));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        TimeSeriesRecorder engines = new TimeSeriesRecorder(LITTLE_SAMPLE_SECONDS);
        SimulationResult run = ScenarioRunner.run(scenario, engines).result();
        requireAllCompleted(run);
        RequestTable t = run.requests();
        int n = t.size();
        double end = t.arrivalTime(n - 1);
        double latencySum = 0;
        for (int r = 0; r < n; r++) {
            latencySum += t.finishTime(r) - t.arrivalTime(r);
        }
        double timeAverage = engineTimeAverage(engines, end);
        double lambdaW = (n / end) * (latencySum / n);
        return ValidationCheck.compare(String.format(Locale.ROOT,
                "queueing: Little's law L = lambda W (4 replicas, %,d requests)", requests), lambdaW, timeAverage,
                "requests", 0.02);
    }

    /**
     * The time average over [0, {@code end}] of the requests the engines hold (waiting in their queues or in their
     * batches), from the engines' own state sampled every {@link #LITTLE_SAMPLE_SECONDS}: a measurement independent
     * of the request table's timestamps that λW is computed from.
     */
    static double engineTimeAverage(TimeSeriesRecorder engines, double end) {
        double sum = 0;
        for (int e = 0; e < engines.engineCount(); e++) {
            TimeSeriesRecorder.EngineSeries series = engines.engine(e);
            double held = 0;
            int samples = 0;
            for (int i = 0; i < series.size() && series.timeSeconds(i) <= end; i++) {
                held += series.queueLength(i) + series.running(i);
                samples++;
            }
            sum += samples == 0 ? 0 : held / samples;
        }
        return sum;
    }

    private static void requireAllCompleted(SimulationResult run) {
        RequestTable t = run.requests();
        for (int r = 0; r < t.size(); r++) {
            if (t.outcome(r) != Outcome.COMPLETED) {
                throw new IllegalStateException("validation run: request " + r + " ended " + t.outcome(r));
            }
        }
    }
}
