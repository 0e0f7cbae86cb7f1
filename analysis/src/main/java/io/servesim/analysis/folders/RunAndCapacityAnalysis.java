package io.servesim.analysis.folders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servesim.analysis.AnalysisException;
import io.servesim.analysis.ResultsCsvLoader;
import io.servesim.analysis.figures.ChartStyle;
import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.figures.FigureOptions;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.output.AtomicFiles;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What fits folders of single runs and capacity searches: for runs, a table of outcomes and TTFT / e2e percentiles
 * of the completed requests and their distribution functions, one line per folder; for capacity searches, the
 * capacity of each and the goodput fraction of every probe against its offered rate, with the target and each
 * capacity marked. Writes {@value #FINDINGS} and {@code figures/} into the output folder.
 */
public final class RunAndCapacityAnalysis {
    public static final String FINDINGS = "findings.md";
    /** Points per distribution line: enough for a smooth curve, few enough for a small vector file. */
    static final int CDF_POINTS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FigureOptions options;

    public RunAndCapacityAnalysis(FigureOptions options) {
        this.options = options;
    }

    /** Statistics of one run folder. */
    public record RunStats(String name, long requests, long completed, long failed, double[] ttftSorted,
                           double[] e2eSorted) {
        public double ttft(double quantile) {
            return quantile(ttftSorted, quantile);
        }

        public double e2e(double quantile) {
            return quantile(e2eSorted, quantile);
        }
    }

    /** One capacity folder: its answer and probes. */
    public record CapacityStats(String name, String status, double capacityRps, double target, double[] offeredRps,
                                double[] goodputFraction) {
    }

    /** What was written. */
    public record Written(List<RunStats> runs, List<CapacityStats> capacities, List<Figure> figures, Path findings) {
    }

    /** Analyses {@code runs} and {@code capacities} (folders of those kinds) into {@code out}. */
    public Written analyze(List<Path> runs, List<Path> capacities, Path out) {
        List<RunStats> runStats = runs.stream().map(RunAndCapacityAnalysis::run).toList();
        List<CapacityStats> capacityStats = capacities.stream().map(RunAndCapacityAnalysis::capacity).toList();
        Path findings = out.resolve(FINDINGS);
        List<Figure> figures = new ArrayList<>();
        try (AtomicFiles.Batch files = AtomicFiles.batch()) {
            FigureRenderer renderer = new FigureRenderer(out.resolve(FigureRenderer.FOLDER), options, files);
            if (!runStats.isEmpty() && runStats.stream().anyMatch(r -> r.ttftSorted().length > 0)) {
                figures.add(cdf(renderer, runStats, true));
                figures.add(cdf(renderer, runStats, false));
            }
            if (!capacityStats.isEmpty()) {
                figures.add(goodputVsRate(renderer, capacityStats));
            }
            files.writeString(findings, markdown(runs, runStats, capacities, capacityStats, figures));
            files.commit();
        } catch (UncheckedIOException e) {
            throw new AnalysisException(out + ": cannot write the analysis (" + e.getMessage() + ")", e);
        }
        return new Written(runStats, capacityStats, figures, findings);
    }

    static RunStats run(Path dir) {
        Table requests = new ResultsCsvLoader().loadRequests(dir.resolve(FolderKind.RUN_REQUESTS));
        List<Double> ttft = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        long completed = 0;
        for (int i = 0; i < requests.rowCount(); i++) {
            if ("COMPLETED".equals(requests.stringColumn("outcome").get(i))) {
                completed++;
                ttft.add(requests.doubleColumn("ttft_s").get(i));
                e2e.add(requests.doubleColumn("e2e_s").get(i));
            }
        }
        return new RunStats(name(dir), requests.rowCount(), completed, requests.rowCount() - completed, sorted(ttft),
                sorted(e2e));
    }

    static CapacityStats capacity(Path dir) {
        JsonNode json;
        try {
            json = JSON.readTree(dir.resolve(FolderKind.CAPACITY_JSON).toFile());
        } catch (IOException e) {
            throw new AnalysisException(dir.resolve(FolderKind.CAPACITY_JSON) + ": not readable JSON (" + e.getMessage()
                    + ")", e);
        }
        Table probes;
        try {
            probes = Table.read().csv(CsvReadOptions.builder(dir.resolve(FolderKind.CAPACITY_PROBES).toFile()).build());
        } catch (RuntimeException e) {
            throw new AnalysisException(dir.resolve(FolderKind.CAPACITY_PROBES) + ": not a readable CSV ("
                    + e.getMessage() + ")", e);
        }
        for (String column : List.of("measured_offered_rps", "goodput_fraction")) {
            if (!probes.columnNames().contains(column)) {
                throw new AnalysisException(dir.resolve(FolderKind.CAPACITY_PROBES) + ": no column " + column);
            }
        }
        double[] offered = numbers(probes, "measured_offered_rps");
        double[] goodput = numbers(probes, "goodput_fraction");
        Integer[] order = new Integer[offered.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(offered[a], offered[b]));
        double[] x = new double[order.length];
        double[] y = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            x[i] = offered[order[i]];
            y[i] = goodput[order[i]];
        }
        JsonNode rate = json.get("capacity_rps_under_sla");
        return new CapacityStats(name(dir), json.path("status").asText("unknown"),
                rate == null || !rate.isNumber() ? Double.NaN : rate.asDouble(),
                json.path("target_goodput_fraction").asDouble(Double.NaN), x, y);
    }

    private static double[] numbers(Table table, String column) {
        return ((tech.tablesaw.api.NumericColumn<?>) table.column(column)).asDoubleArray();
    }

    private Figure cdf(FigureRenderer renderer, List<RunStats> runs, boolean ttft) {
        String metric = ttft ? "TTFT" : "e2e latency";
        XYChart chart = ChartStyle.lineChart(options, metric + " of completed requests", metric + " (s)",
                "fraction of completed requests", runs.size());
        int index = 0;
        for (RunStats run : runs) {
            double[] values = ttft ? run.ttftSorted() : run.e2eSorted();
            if (values.length == 0) {
                continue;
            }
            int points = Math.min(CDF_POINTS, values.length);
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                int rank = (int) Math.round((double) (i + 1) * values.length / points) - 1;
                x[i] = values[rank];
                y[i] = (rank + 1.0) / values.length;
            }
            XYSeries series = chart.addSeries(run.name(), x, y);
            ChartStyle.dataSeries(series, index++);
            series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        String name = ttft ? "run_ttft_cdf" : "run_e2e_cdf";
        return renderer.render(chart, "runs", name, "Distribution of the " + metric + " of the completed requests of"
                + " each run folder: the fraction of requests at or below each latency.");
    }

    private Figure goodputVsRate(FigureRenderer renderer, List<CapacityStats> searches) {
        XYChart chart = ChartStyle.lineChart(options, "Goodput fraction of each capacity probe", "offered rate (req/s)",
                "goodput fraction (requests meeting the SLA)", searches.size() * 2 + 1);
        double maxRate = 0;
        int index = 0;
        for (CapacityStats search : searches) {
            XYSeries series = chart.addSeries(search.name() + " probes", search.offeredRps(), search.goodputFraction());
            ChartStyle.dataSeries(series, index);
            maxRate = Math.max(maxRate, Arrays.stream(search.offeredRps()).max().orElse(0));
            if (Double.isFinite(search.capacityRps())) {
                XYSeries mark = chart.addSeries(String.format(Locale.ROOT, "%s capacity %.3g req/s", search.name(),
                        search.capacityRps()), new double[] {search.capacityRps(), search.capacityRps()}, new double[] {0, 1});
                ChartStyle.dataSeries(mark, index);
                mark.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            }
            index++;
        }
        double target = searches.get(0).target();
        if (Double.isFinite(target)) {
            XYSeries line = chart.addSeries(String.format(Locale.ROOT, "target %.2f", target), new double[] {0, maxRate},
                    new double[] {target, target});
            ChartStyle.referenceSeries(line);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisMin(0.0);
        return renderer.render(chart, "capacity", "capacity_goodput_vs_rate", "Goodput fraction of every probe of each"
                + " capacity search against the rate it offered (measured); the vertical line is the capacity found, the"
                + " dotted line the goodput target a rate must reach.");
    }

    private static String markdown(List<Path> runDirs, List<RunStats> runs, List<Path> capacityDirs,
                                   List<CapacityStats> capacities, List<Figure> figures) {
        StringBuilder md = new StringBuilder("# ServeSim analysis of ")
                .append(runs.size() + capacities.size() == 1 ? "one folder" : (runs.size() + capacities.size()) + " folders")
                .append("\n\n");
        if (!runs.isEmpty()) {
            md.append("## Runs\n\n| run | folder | requests | completed | failed | TTFT p50 (s) | TTFT p95 (s) | TTFT p99 (s)"
                    + " | e2e p50 (s) | e2e p95 (s) | e2e p99 (s) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | ---"
                    + " | --- |\n");
            for (int i = 0; i < runs.size(); i++) {
                RunStats r = runs.get(i);
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n", r.name(),
                        runDirs.get(i), r.requests(), r.completed(), r.failed(), num(r.ttft(0.5)), num(r.ttft(0.95)),
                        num(r.ttft(0.99)), num(r.e2e(0.5)), num(r.e2e(0.95)), num(r.e2e(0.99))));
            }
            md.append("\nPercentiles over the completed requests of each run (nearest rank).\n\n");
        }
        if (!capacities.isEmpty()) {
            md.append("## Capacity searches\n\n| search | folder | capacity under SLA (req/s) | status | probes |\n"
                    + "| --- | --- | --- | --- | --- |\n");
            for (int i = 0; i < capacities.size(); i++) {
                CapacityStats c = capacities.get(i);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d |%n", c.name(), capacityDirs.get(i),
                        num(c.capacityRps()), c.status(), c.offeredRps().length));
            }
            md.append('\n');
        }
        for (Figure figure : figures) {
            md.append("![").append(figure.title()).append("](").append(figure.png()).append(")\n\n*")
                    .append(figure.title()).append(".* ").append(figure.caption()).append("\n\n");
        }
        return md.toString();
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : "n/a";
    }

    private static String name(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        return file == null ? dir.toString() : file.toString();
    }

    private static double[] sorted(List<Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(array);
        return array;
    }

    /** The nearest-rank quantile of sorted values (the inverse of the empirical distribution); NaN when there are none. */
    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN
                : new Percentile().withEstimationType(Percentile.EstimationType.R_1).evaluate(sorted, q * 100);
    }
}
