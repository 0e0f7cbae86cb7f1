package io.servesim.experiments.plan;

import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.workloads.WorkloadSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result row of one cell, as written to every results CSV: the identity columns of
 * docs/results-schema.md followed by {@link RunMetrics#columns()} in order, each value already text.
 * Numbers are written with {@link Double#toString}/{@link Long#toString} (the shortest text that reads
 * back to the same value), so the same seed gives the same bytes; NaN ("not applicable") is empty.
 *
 * @param values column name → text, in column order
 */
public record ResultRow(Map<String, String> values) {
    /** The identity columns, in schema order. */
    public static final List<String> IDENTITY_COLUMNS = List.of("experiment", "step", "cell_id", "config_label",
            "scheduler", "router", "gpus", "replicas", "tp", "pp", "k_bins", "model", "gpu_type", "requests",
            "rps_scale", "seed", "replication");

    public ResultRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The row of {@code cell} of {@code experiment} with the metrics of its run. */
    public static ResultRow of(String experiment, Cell cell, RunMetrics metrics) {
        Map<String, String> row = new LinkedHashMap<>();
        DeploymentConfig d = cell.scenario().hardware().get(0);
        WorkloadSpec w = cell.scenario().workload();
        row.put("experiment", experiment);
        row.put("step", cell.step());
        row.put("cell_id", cell.id());
        row.put("config_label", cell.label());
        row.put("scheduler", cell.scenario().scheduling().scheduler().typeName());
        row.put("router", cell.scenario().scheduling().router().typeName());
        row.put("gpus", text(cell.gpus()));
        row.put("replicas", text(cell.scenario().replicas()));
        row.put("tp", text(d.tp()));
        row.put("pp", text(d.pp()));
        row.put("k_bins", text(cell.kBins()));
        row.put("model", d.model());
        row.put("gpu_type", cell.scenario().gpuTypes());
        row.put("requests", text(w.requests()));
        row.put("rps_scale", text(w.rpsScale()));
        row.put("seed", text(cell.scenario().seed()));
        row.put("replication", text(cell.replication()));
        metrics.columns().forEach((name, value) -> row.put(name, text(value)));
        return new ResultRow(row);
    }

    /** The column names, in order. */
    public List<String> columns() {
        return List.copyOf(values.keySet());
    }

    /** The value of {@code column}; an unknown column is a programming error. */
    public String get(String column) {
        String value = values.get(column);
        if (value == null) {
            throw new IllegalArgumentException("no column '" + column + "' in " + values.keySet());
        }
        return value;
    }

    /** The value of a numeric column, NaN when empty. */
    public double number(String column) {
        String value = get(column);
        return value.isEmpty() ? Double.NaN : Double.parseDouble(value);
    }

    /** A value as the results files write it: shortest round-trip text, NaN and null empty. */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return d.isNaN() ? "" : Double.toString(d);
        }
        return value.toString();
    }
}
