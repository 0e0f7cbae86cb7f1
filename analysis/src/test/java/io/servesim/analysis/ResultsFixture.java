package io.servesim.analysis;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small result CSVs with every column of docs/results-schema.md, in the documented order.
 * Each row starts from plausible defaults; tests set only the values their hand calculation uses.
 */
public final class ResultsFixture {

    public static final List<String> COLUMNS = columns();

    private final List<Row> rows = new ArrayList<>();

    public Row row() {
        Row row = new Row();
        rows.add(row);
        return row;
    }

    /** Writes all rows with every schema column. */
    public Path write(Path dir, String fileName) {
        return writeWithout(dir, fileName);
    }

    /** Writes all rows, leaving out the given columns (header and values). */
    public Path writeWithout(Path dir, String fileName, String... dropped) {
        Set<String> skip = Set.of(dropped);
        List<String> header = COLUMNS.stream().filter(c -> !skip.contains(c)).toList();
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (Row row : rows) {
            List<String> values = new ArrayList<>();
            for (String column : header) {
                values.add(row.value(column));
            }
            csv.append(String.join(",", values)).append('\n');
        }
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes requests/<cellId>.csv.gz with one completed request per e2e latency, and one failed request. */
    public static Path writeRequests(Path dir, String cellId, double... e2eSeconds) {
        Path file = dir.resolve("requests").resolve(cellId + ".csv.gz");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                 Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                writer.write("request_id,profile,arrival_s,prompt_tokens,output_tokens,outcome,ttft_s,e2e_s,tpot_s\n");
                for (int i = 0; i < e2eSeconds.length; i++) {
                    writer.write(String.format(Locale.ROOT, "%d,chat,%.3f,100,50,COMPLETED,%.4f,%.4f,0.01%n",
                            i, i * 0.1, e2eSeconds[i] / 10, e2eSeconds[i]));
                }
                writer.write(e2eSeconds.length + ",chat,9.0,9000,50,EXCEEDS_CONTEXT,,,\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** One row; unset columns keep the defaults below. */
    public static final class Row {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Row() {
            set("experiment", "stress").set("step", ResultsSchema.STEP_REQUEST_SCALING).set("scheduler", "dynamic")
                    .set("router", "least_loaded").set("gpus", 1).set("replicas", 1).set("tp", 1).set("pp", 1)
                    .set("k_bins", "").set("model", "llama-2-7b").set("gpu_type", "A100-80GB").set("requests", 1000)
                    .set("rps_scale", 1).set("seed", 42).set("replication", 0)
                    .set("arrived", 1000).set("completed", 1000).set("failed", 0).set("in_flight", 0)
                    .set("success_rate", 1.0).set("failed_exceeds_context", 0).set("failed_exceeds_kv_capacity", 0)
                    .set("failed_exceeds_token_budget", 0).set("failed_queue_full", 0).set("failed_timeout", 0)
                    .set("offered_rps", 10).set("achieved_rps", 10).set("throughput_rps", 10)
                    .set("throughput_tokens_per_s", 500).set("saturated", "false").set("overload_ratio", 1.0)
                    .set("latency_trend_ratio", 1.0).set("queue_len_at_mid_arrival", 0)
                    .set("queue_len_at_last_arrival", 0).set("queue_growth_fraction", 0.0)
                    .set("queue_trend_fraction", 0.0).set("load_shed_fraction", 0.0);
            for (String prefix : List.of("ttft", "tpot", "e2e", "norm_latency", "queue_delay")) {
                set(prefix + "_mean_s", 1.0).set(prefix + "_p50_s", 1.0).set(prefix + "_p90_s", 1.8)
                        .set(prefix + "_p95_s", 2.0).set(prefix + "_p99_s", 3.0);
            }
            set("sla_ttft_s", 5.0).set("sla_tpot_s", 0.1).set("sla_norm_latency_s_per_token", 0.2)
                    .set("sla_request_violation_rate", 0.01).set("sla_norm_violation_rate", 0.01)
                    .set("goodput_rps", 9).set("goodput_fraction", 0.9).set("capacity_rps_under_sla", "")
                    .set("mean_batch_size", 8).set("gpu_util_mean", 0.5).set("gpu_util_min", 0.4)
                    .set("gpu_util_max", 0.6).set("kv_usage_mean", 0.3).set("kv_usage_peak", 0.7)
                    .set("preemptions", 0).set("iterations", 100).set("events", 2000).set("sim_horizon_s", 100)
                    .set("wall_s", 0.5);
        }

        public Row set(String column, Object value) {
            if (!COLUMNS.contains(column)) {
                throw new IllegalArgumentException("not a schema column: " + column);
            }
            values.put(column, String.valueOf(value));
            return this;
        }

        public Row step(String step) {
            return set("step", step);
        }

        public Row scheduler(String scheduler) {
            return set("scheduler", scheduler);
        }

        public Row k(int k) {
            return set("k_bins", k);
        }

        public Row gpus(int gpus) {
            return set("gpus", gpus);
        }

        public Row requests(long requests) {
            return set("requests", requests);
        }

        public Row replication(int replication) {
            return set("replication", replication);
        }

        public Row throughput(double rps) {
            return set("throughput_rps", rps).set("achieved_rps", rps);
        }

        public Row goodput(double rps) {
            return set("goodput_rps", rps);
        }

        public Row e2eP95(double seconds) {
            return set("e2e_p95_s", seconds);
        }

        public Row saturated(double overloadRatio) {
            return set("saturated", "true").set("overload_ratio", overloadRatio).set("queue_trend_fraction", 0.3)
                    .set("queue_len_at_mid_arrival", 100).set("queue_len_at_last_arrival", 400);
        }

        /** The load every configuration of a plan is offered (the measured offered_rps). */
        public Row offered(double rps) {
            return set("offered_rps", rps);
        }

        /** Sets throughput and goodput to the same value (a cell that meets every SLA). */
        public Row served(double rps) {
            return throughput(rps).goodput(rps);
        }

        public String cellId() {
            String k = values.get("k_bins").isEmpty() ? "" : "-k" + values.get("k_bins");
            return values.get("step").replaceAll("_.*", "") + "-" + values.get("scheduler") + k + "-g"
                    + values.get("gpus") + "-n" + values.get("requests") + "-r" + values.get("replication");
        }

        private String label() {
            String k = values.get("k_bins").isEmpty() ? "" : " K=" + values.get("k_bins");
            return values.get("scheduler") + k + " on " + values.get("gpus") + " GPUs";
        }

        private String value(String column) {
            return switch (column) {
                case "cell_id" -> values.getOrDefault(column, cellId());
                case "config_label" -> values.getOrDefault(column, label());
                default -> values.get(column);
            };
        }
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("experiment", "step", "cell_id", "config_label", "scheduler",
                "router", "gpus", "replicas", "tp", "pp", "k_bins", "model", "gpu_type", "requests", "rps_scale", "seed",
                "replication", "arrived", "completed", "failed", "in_flight", "success_rate", "failed_exceeds_context",
                "failed_exceeds_kv_capacity", "failed_exceeds_token_budget", "failed_queue_full", "failed_timeout",
                "offered_rps", "achieved_rps", "throughput_rps", "throughput_tokens_per_s", "saturated",
                "overload_ratio", "latency_trend_ratio", "queue_len_at_mid_arrival", "queue_len_at_last_arrival",
                "queue_growth_fraction", "queue_trend_fraction", "load_shed_fraction"));
        for (String prefix : List.of("ttft", "tpot", "e2e", "norm_latency", "queue_delay")) {
            for (String stat : List.of("mean", "p50", "p90", "p95", "p99")) {
                columns.add(prefix + "_" + stat + "_s");
            }
        }
        columns.addAll(List.of("sla_ttft_s", "sla_tpot_s", "sla_norm_latency_s_per_token", "sla_request_violation_rate",
                "sla_norm_violation_rate", "goodput_rps", "goodput_fraction", "capacity_rps_under_sla",
                "mean_batch_size", "gpu_util_mean", "gpu_util_min", "gpu_util_max", "kv_usage_mean", "kv_usage_peak",
                "preemptions", "iterations", "events", "sim_horizon_s", "wall_s"));
        return List.copyOf(columns);
    }
}
