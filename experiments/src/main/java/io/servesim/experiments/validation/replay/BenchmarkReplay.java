package io.servesim.experiments.validation.replay;

import com.google.inject.Module;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.experiments.validation.replay.ReplayPlanner.Replay;
import io.servesim.experiments.validation.replay.ReplayPlanner.RowPlan;
import io.servesim.experiments.validation.replay.ReplayPlanner.Skip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replays measured rows: each expressible row is one simulation, all in this JVM, on {@code threads} worker threads.
 * Results come back in row order whatever order the threads finish in, and each row's run depends only on the row
 * and the seed, so the output does not depend on the threads.
 */
public final class BenchmarkReplay {
    private final ReplayPlanner planner;
    private final ScenarioRunner.SharedParts shared;
    private final int threads;
    private final Module[] overrides;

    /**
     * @param catalog     the catalog rows are looked up in
     * @param seed        the root seed of the runs
     * @param threads     simulations at once
     * @param catalogFile the overlay {@code catalog} was loaded with; null for the bundled catalog
     * @param clientStart how closed-loop clients start
     * @param frontEnds   the front-end time of each campaign ({@link FrontEnds#NONE}: none)
     * @param overrides   bindings that replace those of every run (a study's or a test's step-time model)
     */
    public BenchmarkReplay(Catalog catalog, long seed, int threads, Path catalogFile,
                           ReplayPlanner.ClientStart clientStart, FrontEnds frontEnds, Module... overrides) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.planner = new ReplayPlanner(catalog, catalogFile, seed, clientStart, frontEnds);
        this.shared = ScenarioRunner.SharedParts.of(catalog);
        this.overrides = overrides.clone();
        this.threads = threads;
    }

    /** Plans and runs {@code rows} (each on a worker thread); one result per row, in order. */
    public List<RowResult> run(List<BenchmarkRow> rows) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "replay");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<RowResult>> futures = new ArrayList<>(rows.size());
            for (BenchmarkRow row : rows) {
                futures.add(pool.submit(() -> result(planner.plan(row))));
            }
            List<RowResult> results = new ArrayList<>(rows.size());
            for (Future<RowResult> future : futures) {
                results.add(PlanRunner.await(future, "a replayed row"));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private RowResult result(RowPlan plan) {
        return plan instanceof Replay replay ? replay(replay) : skipped((Skip) plan);
    }

    private RowResult replay(Replay plan) {
        RunMetrics metrics = ScenarioRunner.run(plan.scenario(), shared, overrides).metrics();
        RunMetrics first = plan.firstRound() == null ? null
                : ScenarioRunner.run(plan.firstRound(), shared, overrides).metrics();
        long simulated = metrics.arrived() + (first == null ? 0 : first.arrived());
        for (RunMetrics run : first == null ? List.of(metrics) : List.of(first, metrics)) {
            if (Double.isNaN(run.ttft().mean())) {
                return new RowResult(plan.row(), plan.model(), plan.gpu(), "the simulation completed no request in"
                        + " the measured window (" + run.failures() + ")", Map.of(), Double.NaN, simulated);
            }
        }
        Map<ServingMetric, Double> predicted = new EnumMap<>(ServingMetric.class);
        for (ServingMetric metric : ServingMetric.values()) {
            double steady = metric.predictedMillis(metrics);
            if (first == null) {
                predicted.put(metric, steady);
            } else if (metric.isMean()) {
                // the benchmark's mean over its rounds: one cold first round, the others in the steady state
                predicted.put(metric, (metric.predictedMillis(first) + (plan.rounds() - 1) * steady) / plan.rounds());
            }
            // a percentile of the rounds together does not follow from the two runs' percentiles: not predicted
        }
        return new RowResult(plan.row(), plan.model(), plan.gpu(), null, predicted, metrics.throughputRps(),
                simulated);
    }

    private static RowResult skipped(Skip skip) {
        return new RowResult(skip.row(), skip.model(), skip.gpu(), skip.reason(), Map.of(), Double.NaN, 0);
    }
}
