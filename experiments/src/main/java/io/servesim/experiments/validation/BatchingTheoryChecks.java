package io.servesim.experiments.validation;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.schedulers.MultiBinThroughput;
import io.servesim.schedulers.SchedulerSpec;

import java.util.Locale;

/**
 * Batching theory against the engine (Guldogan et al., 2024; {@link MultiBinThroughput}). Static batches of B
 * requests with one-token prompts and outputs uniform on {1 … L}, every iteration taking t, and always a full
 * batch waiting: a batch lasts as long as its longest output, E[max of B draws] iterations, so the saturated
 * throughput is B / (t · E[max]); with K equal-mass bins by output length it is B / (t · Σ_k w_k E[max_k]).
 */
final class BatchingTheoryChecks {
    static final int BATCH_SIZE = 8;
    static final int MAX_OUTPUT_TOKENS = 64;
    static final double ITERATION_SECONDS = 0.01;

    private BatchingTheoryChecks() {
    }

    /** Saturated throughput of K-bin static batching (K = 1 is plain static batching). */
    static ValidationCheck saturatedThroughput(int bins, int requests, long seed) {
        // Arrivals a microsecond apart: every batch finds B requests waiting; batches wait for B (no timeout).
        String workload = String.format(Locale.ROOT, """
                requests: %d
                profiles:
                  - name: saturated
                    rate_per_second: 1.0e6
                    arrival: {type: constant}
                    prompt: {type: fixed, value: 1}
                    output: {type: uniform, min: 1, max: %d}
                """, requests, MAX_OUTPUT_TOKENS);
        SchedulerSpec.Static batching = new SchedulerSpec.Static(BATCH_SIZE, Double.POSITIVE_INFINITY);
        SchedulerSpec spec = bins == 1 ? batching : new SchedulerSpec.MultiBin(bins, null, null, null, null, batching);
        SimulationResult run = TheoryRuns.run(TheoryRuns.workload(workload), spec,
                TheoryRuns.unboundedReplica(BATCH_SIZE), ITERATION_SECONDS, seed);
        RequestTable t = run.requests();
        long completed = 0;
        double last = 0;
        for (int r = 0; r < t.size(); r++) {
            if (t.outcome(r) == Outcome.COMPLETED) {
                completed++;
                last = Math.max(last, t.finishTime(r));
            }
        }
        double predicted = MultiBinThroughput.saturatedRequestsPerSecond(BATCH_SIZE, MAX_OUTPUT_TOKENS, bins,
                ITERATION_SECONDS);
        String name = bins == 1
                ? String.format(Locale.ROOT, "batching: static B=%d, outputs U{1..%d}, saturated throughput", BATCH_SIZE,
                MAX_OUTPUT_TOKENS)
                : String.format(Locale.ROOT, "batching: multi-bin K=%d, static B=%d, saturated throughput", bins, BATCH_SIZE);
        return ValidationCheck.compare(name, predicted, completed / last, "req/s", 0.02);
    }
}
