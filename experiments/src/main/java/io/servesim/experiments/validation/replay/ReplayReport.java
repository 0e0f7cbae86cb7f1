package io.servesim.experiments.validation.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.figures.FigureOptions;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.figures.ParityFigure;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.validation.replay.BenchmarkRow.ClosedLoop;
import io.servesim.experiments.validation.replay.BenchmarkRow.OpenLoop;
import io.servesim.experiments.validation.replay.ErrorSummary.Group;
import io.servesim.experiments.validation.replay.ErrorSummary.MetricError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The outputs of {@code validate --against}: one CSV row per measured row (inputs, predicted, measured and the signed
 * relative error per metric, or the reason it was skipped), the error summary as JSON and as a table, and the parity
 * plot. The CSV and JSON hold only what the seed fixes, so the same command writes the same bytes.
 */
public final class ReplayReport {
    public static final String ROWS_FILE = "validate_rows.csv";
    public static final String SUMMARY_FILE = "validate_summary.json";
    public static final String FIGURE_NAME = "parity";
    /** At most this many skip reasons are printed; the files hold all. */
    static final int PRINTED_REASONS = 12;

    /** The input columns of the rows file, before the metric columns. */
    public static final List<String> INPUT_COLUMNS = List.of("line", "id", "backend", "backend_version", "model",
            "system", "precision", "mode", "tp", "pp", "clients", "rate_rps", "prompt_tokens", "output_tokens",
            "catalog_model", "catalog_gpu", "status", "skip_reason", "role");
    /** The columns after the metric columns. */
    public static final List<String> TRAILING_COLUMNS = List.of("predicted_throughput_rps", "simulated_requests",
            "batches");

    private final BenchmarkFile file;
    private final List<RowResult> results;
    private final int filteredOut;
    private final ErrorSummary summary;
    private final Predicate<BenchmarkRow> fitted;

    /** The report of {@code results}; {@code fitted} selects the rows the coefficients in use were fitted on. */
    public ReplayReport(BenchmarkFile file, List<RowResult> results, int filteredOut, Predicate<BenchmarkRow> fitted) {
        this.file = file;
        this.results = List.copyOf(results);
        this.filteredOut = filteredOut;
        this.fitted = fitted;
        this.summary = ErrorSummary.of(results, fitted);
    }

    public ErrorSummary summary() {
        return summary;
    }

    public List<RowResult> results() {
        return results;
    }

    /** Every column of the rows file, in order. */
    public static List<String> columns() {
        List<String> columns = new ArrayList<>(INPUT_COLUMNS);
        for (ServingMetric m : ServingMetric.values()) {
            columns.add("measured_" + m.key() + "_ms");
            columns.add("predicted_" + m.key() + "_ms");
            columns.add("error_" + m.key());
        }
        columns.addAll(TRAILING_COLUMNS);
        return columns;
    }

    /**
     * Writes the rows file, the parity figure and the summary into {@code dir} as part of {@code files} (they land
     * when it is committed); returns the files written.
     */
    public List<Path> write(AtomicFiles.Batch files, Path dir, Map<String, String> filters, long seed,
                            ReplayPlanner.ClientStart clientStart, String frontEnds) {
        List<Path> written = new ArrayList<>();
        Path rows = dir.resolve(ROWS_FILE);
        // the rows file is formatted on another thread while the parity figure renders on this one
        CompletableFuture<byte[]> rowsBytes = CompletableFuture.supplyAsync(this::rowsBytes);
        written.add(rows);
        Optional<Figure> figure = ParityFigure.render(new FigureRenderer(dir.resolve(FigureRenderer.FOLDER),
                        FigureOptions.DEFAULT, files), "validate", FIGURE_NAME, "ServeSim vs " + file.path().getFileName(),
                ServingMetric.UNIT, paritySeries());
        files.write(rows, out -> out.write(PlanRunner.await(rowsBytes, "the rows file")));
        figure.ifPresent(f -> {
            written.add(dir.resolve(f.png()));
            written.add(dir.resolve(f.svg()));
        });
        Path json = dir.resolve(SUMMARY_FILE);
        ObjectNode summary = summaryJson(filters, seed, clientStart, frontEnds, figure);
        files.write(json, out -> ConfigMapper.json().writeValue(out, summary));
        written.add(json);
        return written;
    }

    private byte[] rowsBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeRows(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format " + ROWS_FILE, e);
        }
        return bytes.toByteArray();
    }

    private void writeRows(OutputStream raw) throws IOException {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8));
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                     .setHeader(columns().toArray(String[]::new)).setRecordSeparator("\n").get())) {
            for (RowResult r : results) {
                BenchmarkRow row = r.row();
                List<String> values = new ArrayList<>();
                values.add(Integer.toString(row.line()));
                values.add(row.id());
                values.add(row.backend());
                values.add(row.backendVersion());
                values.add(row.model());
                values.add(row.system());
                values.add(row.precision());
                values.add(row.mode());
                values.add(Integer.toString(row.tp()));
                values.add(Integer.toString(row.pp()));
                values.add(row.load() instanceof ClosedLoop c && c.clients() > 0 ? Integer.toString(c.clients()) : "");
                values.add(row.load() instanceof OpenLoop o ? number(o.ratePerSecond()) : "");
                values.add(Integer.toString(row.promptTokens()));
                values.add(Integer.toString(row.outputTokens()));
                values.add(r.model() == null ? "" : r.model());
                values.add(r.gpu() == null ? "" : r.gpu());
                values.add(r.replayed() ? "replayed" : "skipped");
                values.add(r.replayed() ? "" : r.skipReason());
                values.add(!r.replayed() ? "" : fitted.test(row) ? "fit" : "held_out");
                for (ServingMetric m : ServingMetric.values()) {
                    values.add(number(row.measured().get(m)));
                    values.add(number(r.predicted().get(m)));
                    values.add(number(r.relativeError(m)));
                }
                values.add(number(r.throughputRps()));
                values.add(r.replayed() ? Long.toString(r.simulatedRequests()) : "");
                values.add(!r.replayed() ? "" : ReplayPlanner.servesUnmixed(row) ? "unmixed" : "mixed");
                printer.printRecord(values);
            }
        }
    }

    /**
     * One parity series per metric that some replayed row measured; when some of the rows fitted the coefficients in
     * use, their pairs are a series of their own per metric ("TTFT mean, fit rows"), after the held-out ones, so that
     * the figure does not pass fitted points off as a validation.
     */
    List<ParityFigure.Series> paritySeries() {
        boolean anyFitted = results.stream().anyMatch(r -> r.replayed() && fitted.test(r.row()));
        List<ParityFigure.Series> series = new ArrayList<>();
        for (boolean fit : anyFitted ? new boolean[] {false, true} : new boolean[] {false}) {
            for (ServingMetric m : ServingMetric.values()) {
                List<RowResult> pairs = results.stream().filter(r -> !Double.isNaN(r.relativeError(m))
                        && (!anyFitted || fitted.test(r.row()) == fit)).toList();
                if (pairs.isEmpty()) {
                    continue;
                }
                double[] measured = pairs.stream().mapToDouble(r -> r.row().measured().get(m)).toArray();
                double[] predicted = pairs.stream().mapToDouble(r -> r.predicted().get(m)).toArray();
                String name = m.label() + (!anyFitted ? "" : fit ? ", fit rows" : ", held out");
                series.add(new ParityFigure.Series(name, measured, predicted));
            }
        }
        return series;
    }

    /** Skipped rows per reason, most frequent first (ties by reason). */
    public Map<String, Long> skippedByReason() {
        Map<String, Long> counts = new LinkedHashMap<>();
        results.stream().filter(r -> !r.replayed()).forEach(r -> counts.merge(r.skipReason(), 1L, Long::sum));
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    public long replayedCount() {
        return results.stream().filter(RowResult::replayed).count();
    }

    private ObjectNode summaryJson(Map<String, String> filters, long seed, ReplayPlanner.ClientStart clientStart,
                                   String frontEnds, Optional<Figure> figure) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("file", file.path().toString());
        root.put("format", file.format().name().toLowerCase(Locale.ROOT));
        root.put("seed", seed);
        ObjectNode filterNode = root.putObject("filters");
        filters.forEach(filterNode::put);
        ObjectNode settings = root.putObject("settings");
        settings.put("closed_loop_rounds", ReplayPlanner.CLOSED_LOOP_ROUNDS);
        settings.put("client_start", clientStart.name().toLowerCase(Locale.ROOT));
        settings.put("front_ends", frontEnds);
        if (clientStart == ReplayPlanner.ClientStart.BENCHMARK) {
            settings.put("benchmark_rounds", ReplayPlanner.BENCHMARK_ROUNDS);
        }
        settings.put("closed_loop_measured_rounds", ReplayPlanner.CLOSED_LOOP_ROUNDS - 2);
        settings.put("open_loop_excluded_fraction", ReplayPlanner.OPEN_LOOP_EXCLUDED_FRACTION);
        settings.put("max_num_seqs", "max(" + ReplayPlanner.DEFAULT_MAX_NUM_SEQS + ", clients) unless the row gives it");
        settings.put("max_num_batched_tokens", ReplayPlanner.DEFAULT_MAX_NUM_BATCHED_TOKENS);
        settings.put("chunked_prefill", true);
        ObjectNode counts = root.putObject("rows");
        counts.put("read", results.size() + filteredOut);
        counts.put("filtered_out", filteredOut);
        counts.put("replayed", replayedCount());
        counts.put("skipped", results.size() - replayedCount());
        counts.put("fitted", results.stream().filter(r -> r.replayed() && fitted.test(r.row())).count());
        ObjectNode reasons = root.putObject("skipped_by_reason");
        skippedByReason().forEach(reasons::put);
        ArrayNode groups = root.putArray("errors");
        for (Group g : summary.groups()) {
            ObjectNode node = groups.addObject();
            node.put("group", g.name());
            node.put("rows", g.rows());
            ObjectNode metrics = node.putObject("metrics");
            g.metrics().forEach((metric, e) -> {
                ObjectNode m = metrics.putObject(metric.key());
                m.put("count", e.count());
                m.put("mape", e.mape());
                m.put("median_ape", e.medianApe());
                m.put("p90_ape", e.p90Ape());
                m.put("median_error", e.medianError());
            });
        }
        if (figure.isPresent()) {
            root.put("figure", figure.get().png());
        } else {
            root.putNull("figure");
        }
        return root;
    }

    /** The console summary: counts, skip reasons, the error table. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "ServeSim validate --against %s: %s, %,d rows%n", file.path().getFileName(),
                file.format().description(), results.size() + filteredOut);
        out.printf(Locale.ROOT, "  rows       replayed %,d, skipped %,d, filtered out %,d%n", replayedCount(),
                results.size() - replayedCount(), filteredOut);
        Map<String, Long> reasons = skippedByReason();
        int shown = 0;
        for (Map.Entry<String, Long> e : reasons.entrySet()) {
            if (shown++ == PRINTED_REASONS) {
                out.printf(Locale.ROOT, "             … and %d more reasons (see %s)%n", reasons.size() - PRINTED_REASONS,
                        ROWS_FILE);
                break;
            }
            out.printf(Locale.ROOT, "  %-10s %,6d  %s%n", shown == 1 ? "skipped" : "", e.getValue(), e.getKey());
        }
        if (summary.all().metrics().isEmpty()) {
            out.println("  error      no replayed row has a measured metric: nothing to compare");
            return;
        }
        int width = Math.max(24, summary.groups().stream().mapToInt(g -> g.name().length()).max().orElse(0));
        out.printf(Locale.ROOT, "  error      %-10s %-" + width + "s %6s %8s %8s %8s %8s%n", "metric", "group", "n",
                "MAPE", "median", "p90", "bias");
        for (ServingMetric metric : ServingMetric.values()) {
            for (Group g : summary.groups()) {
                MetricError e = g.metrics().get(metric);
                if (e != null) {
                    out.printf(Locale.ROOT, "             %-10s %-" + width + "s %6d %7.1f%% %7.1f%% %7.1f%% %+7.1f%%%n",
                            metric.label(), g.name(), e.count(), 100 * e.mape(), 100 * e.medianApe(), 100 * e.p90Ape(),
                            100 * e.medianError());
                }
            }
        }
    }

    /** Shortest round-trip text; NaN and null are empty. */
    static String number(Double value) {
        return value == null || value.isNaN() ? "" : Double.toString(value);
    }
}
