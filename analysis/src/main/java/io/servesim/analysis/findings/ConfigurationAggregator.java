package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/** Groups result rows by step and configuration (Tablesaw {@code splitOn}) and aggregates replications. */
public final class ConfigurationAggregator {

    /** Metric columns aggregated into an {@link Estimate} per configuration. */
    public static final List<String> METRICS = List.of(
            THROUGHPUT_RPS, GOODPUT_RPS, OVERLOAD_RATIO, CAPACITY_RPS_UNDER_SLA,
            TTFT_P50_S, TTFT_P95_S, TTFT_P99_S, E2E_P50_S, E2E_P95_S, E2E_P99_S,
            SLA_TTFT_S, SLA_TPOT_S, SLA_NORM_LATENCY_S_PER_TOKEN, SLA_REQUEST_VIOLATION_RATE, SLA_NORM_VIOLATION_RATE,
            GPU_UTIL_MEAN, GPU_UTIL_MIN, GPU_UTIL_MAX, OFFERED_RPS, ACHIEVED_RPS, GOODPUT_FRACTION, QUEUE_TREND_FRACTION,
            QUEUE_LEN_AT_MID_ARRIVAL, QUEUE_LEN_AT_LAST_ARRIVAL, QUEUE_DELAY_P95_S, MEAN_BATCH_SIZE, KV_USAGE_MEAN,
            KV_USAGE_PEAK, TP, PP, RPS_SCALE);

    private static final Comparator<ConfigSummary> ORDER = Comparator.comparing(ConfigSummary::step)
            .thenComparingLong(ConfigSummary::requests)
            .thenComparingInt(ConfigSummary::gpus)
            .thenComparing(ConfigSummary::scheduler)
            .thenComparing(c -> c.kBins() == null ? 0 : c.kBins())
            .thenComparing(ConfigSummary::label);

    /** One summary per (step, configuration), ordered by step, requests, GPUs, scheduler, K. */
    public List<ConfigSummary> summarise(Table rows) {
        List<ConfigSummary> summaries = new ArrayList<>();
        for (Table group : rows.splitOn(STEP, CONFIG_KEY).asTableList()) {
            summaries.add(summary(group));
        }
        summaries.sort(ORDER);
        return summaries;
    }

    private static ConfigSummary summary(Table group) {
        Map<String, Estimate> metrics = new LinkedHashMap<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String column : METRICS) {
            double[] columnValues = group.doubleColumn(column).asDoubleArray();
            values.put(column, columnValues);
            Estimate estimate = ReplicationStatistics.estimate(columnValues);
            if (estimate != null) {
                metrics.put(column, estimate);
            }
        }
        double[] replication = group.doubleColumn(REPLICATION).asDoubleArray();
        List<Integer> replicationIds = new ArrayList<>();
        for (int row = 0; row < replication.length; row++) {
            replicationIds.add(Double.isFinite(replication[row]) ? (int) Math.round(replication[row]) : row);
        }
        int saturated = group.stringColumn(SATURATED).isEqualTo("true").size();
        DoubleColumn k = group.doubleColumn(K_BINS).removeMissing();
        return new ConfigSummary(
                group.stringColumn(STEP).get(0),
                group.stringColumn(CONFIG_KEY).get(0),
                group.stringColumn(CONFIG_LABEL).get(0),
                group.stringColumn(SCHEDULER).get(0),
                (int) Math.round(group.doubleColumn(GPUS).get(0)),
                k.isEmpty() ? null : (int) Math.round(k.get(0)),
                Math.round(group.doubleColumn(REQUESTS).get(0)),
                group.rowCount(),
                saturated > 0,
                saturated,
                metrics,
                replicationIds,
                values);
    }
}
