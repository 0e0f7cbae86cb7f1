package io.servesim.schedulers;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Theory check: saturated multi-bin static batching against the closed form of {@link MultiBinThroughput}. */
class MultiBinThroughputTest {
    private static final int B = 8;
    private static final int L = 64;
    private static final double T = 0.01;

    @Test
    void expectedMaxMatchesSmallCasesByHand() {
        // Max of 2 draws from {1, 2}: P(max = 1) = 1/4 → E = 1.75 = 2 − (1/2)².
        assertThat(MultiBinThroughput.expectedMaxOfUniform(1, 2, 2)).isCloseTo(1.75, within(1e-15));
        // One draw is the mean: {3 … 5} → 4 = 5 − (1/3 + 2/3).
        assertThat(MultiBinThroughput.expectedMaxOfUniform(3, 5, 1)).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void simulatedSaturatedThroughputMatchesTheFormulaAndRisesWithK() {
        double previous = 0;
        for (int k : new int[] {1, 2, 4, 8}) {
            double simulated = simulatedRequestsPerSecond(k);
            double analytic = MultiBinThroughput.saturatedRequestsPerSecond(B, L, k, T);
            // K = 1: E[max of 8 of {1…64}] ≈ 57.0 iterations → 8 / (57.0 · 0.01) ≈ 14.0 req/s.
            assertThat(simulated).as("K = %d", k).isCloseTo(analytic, within(0.03 * analytic));
            assertThat(analytic).isGreaterThan(previous);
            previous = analytic;
        }
        // The limit: 8 / (32.5 · 0.01) ≈ 24.6 req/s; K = 8 gets within 15 % of it.
        double ideal = MultiBinThroughput.idealRequestsPerSecond(B, L, T);
        assertThat(previous).isLessThan(ideal).isGreaterThan(0.85 * ideal);
    }

    private static double simulatedRequestsPerSecond(int bins) {
        WorkloadSource workload = Scenarios.saturated(2024, 20_000, 1, L);
        SchedulerSpec spec = new SchedulerSpec.MultiBin(bins, null, null, null, null,
                new SchedulerSpec.Static(B, Double.POSITIVE_INFINITY));
        SimulationResult r = Scenarios.run(1, Scenarios.config(B, 4096, false, 1 << 20), AffineStepTimeModel.constant(T),
                Scenarios.REGISTRY.batchSchedulers(spec, Scenarios.context(workload)), new RoundRobinRouter(), workload, true);
        RequestTable t = r.requests();
        long completed = 0;
        double last = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.outcome(i) == Outcome.COMPLETED) {
                completed++;
                last = Math.max(last, t.finishTime(i));
            }
        }
        // Only a bin's last partial batch (< B requests) may stay waiting.
        assertThat(completed).isGreaterThan(20_000 - (long) bins * B);
        return completed / last;
    }
}
