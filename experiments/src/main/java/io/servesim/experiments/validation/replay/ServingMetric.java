package io.servesim.experiments.validation.replay;

import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.metrics.RunMetrics.LatencySummary;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A latency a serving benchmark reports and the simulator predicts, in milliseconds: TTFT (queueing included), TPOT
 * (per output token after the first, per request, then averaged) and end-to-end latency, each as a mean and a 99th
 * percentile. The order is the order of every output column and table.
 */
public enum ServingMetric {
    TTFT_MEAN("ttft_mean", "TTFT mean", RunMetrics::ttft, LatencySummary::mean),
    TPOT_MEAN("tpot_mean", "TPOT mean", RunMetrics::tpot, LatencySummary::mean),
    E2E_MEAN("e2e_mean", "E2E mean", RunMetrics::e2e, LatencySummary::mean),
    TTFT_P99("ttft_p99", "TTFT p99", RunMetrics::ttft, LatencySummary::p99),
    TPOT_P99("tpot_p99", "TPOT p99", RunMetrics::tpot, LatencySummary::p99),
    E2E_P99("e2e_p99", "E2E p99", RunMetrics::e2e, LatencySummary::p99);

    /** Every metric is in milliseconds. */
    public static final String UNIT = "ms";

    private final String key;
    private final String label;
    private final Function<RunMetrics, LatencySummary> latency;
    private final ToDoubleFunction<LatencySummary> statistic;

    ServingMetric(String key, String label, Function<RunMetrics, LatencySummary> latency,
                  ToDoubleFunction<LatencySummary> statistic) {
        this.key = key;
        this.label = label;
        this.latency = latency;
        this.statistic = statistic;
    }

    /** The snake_case name in file columns and JSON keys, e.g. {@code ttft_mean}. */
    public String key() {
        return key;
    }

    /** The name in tables and figure legends, e.g. {@code TTFT mean}. */
    public String label() {
        return label;
    }

    /** The column of the measured value in the open-loop format and of every output: {@code ttft_mean_ms}. */
    public String measuredColumn() {
        return key + "_ms";
    }

    /** Whether the statistic is a mean (so that the means of parts combine by weight into the whole's). */
    public boolean isMean() {
        return key.endsWith("_mean");
    }

    /** The simulated value in milliseconds. */
    public double predictedMillis(RunMetrics metrics) {
        return 1000 * statistic.applyAsDouble(latency.apply(metrics));
    }
}
