package io.servesim.analysis.figures;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.GPU_UTIL_MAX;
import static io.servesim.analysis.ResultsSchema.GPU_UTIL_MEAN;
import static io.servesim.analysis.ResultsSchema.GPU_UTIL_MIN;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;

import io.servesim.analysis.findings.ConfigSummary;
import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.StepFindings;
import io.servesim.analysis.findings.StepKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Builds the figures of a results folder from its findings: request-scaling trends (step 1),
 * GPU scaling with the ideal line (step 2), K-bins sensitivity (step 3), a throughput/goodput
 * ranking (other studies), latency CDFs (when per-request data exist) and GPU utilisation.
 * A figure whose data are absent is skipped; the returned list names the figures made.
 */
public final class StudyFigures {

    /** Points per CDF line; longer per-request samples are thinned to evenly spaced ranks. */
    static final int CDF_POINTS = 200;

    private final FigureRenderer renderer;

    public StudyFigures(FigureRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * @param findings            the findings of the folder
     * @param completedE2eByConfig e2e latencies (seconds) of completed requests per configuration key,
     *                            empty when the folder has no per-request files
     */
    public List<Figure> render(Findings findings, Map<String, double[]> completedE2eByConfig) {
        List<Figure> figures = new ArrayList<>();
        for (StepFindings step : findings.steps()) {
            switch (step.kind()) {
                case REQUEST_SCALING -> requestScaling(step, figures);
                case GPU_SCALING -> gpuScaling(step, figures);
                case KBINS_SENSITIVITY -> kBins(step, figures);
                case COMPARISON -> comparison(step, figures);
            }
            latencyCdf(step, completedE2eByConfig, figures);
            gpuUtilisation(step, figures);
        }
        return figures;
    }

    private void requestScaling(StepFindings step, List<Figure> figures) {
        Map<String, List<ConfigSummary>> lines = lines(step.configurations(), ConfigSummary::seriesAcrossRequests,
                Comparator.comparingLong(ConfigSummary::requests));
        TreeSet<Long> volumes = step.configurations().stream().map(ConfigSummary::requests)
                .collect(Collectors.toCollection(TreeSet::new));
        XYChart throughput = ChartStyle.lineChart("Throughput vs requests", "Requests in the workload (log scale)",
                "Throughput (req/s)");
        XYChart p95 = ChartStyle.lineChart("p95 end-to-end latency vs requests", "Requests in the workload (log scale)",
                "p95 e2e latency (s)");
        addLines(throughput, ChartStyle.ladderXAxis(throughput, volumes), lines, c -> (double) c.requests(),
                THROUGHPUT_RPS, false);
        addLines(p95, ChartStyle.ladderXAxis(p95, volumes), lines, c -> (double) c.requests(), E2E_P95_S, true);
        renderIfData(throughput, name(step, "throughput_vs_requests"),
                "One line per configuration; a line that flattens while requests grow marks the configuration's throughput limit.",
                figures);
        renderIfData(p95, name(step, "p95_e2e_vs_requests"),
                "Unsaturated cells only (saturated cells' latencies measure the run length); lower is better.",
                figures);
    }

    private void gpuScaling(StepFindings step, List<Figure> figures) {
        XYChart throughput = ChartStyle.lineChart("Throughput vs GPUs", "GPUs (log scale)", "Throughput (req/s)");
        XYChart efficiency = ChartStyle.lineChart("Scaling efficiency vs GPUs", "GPUs (log scale)",
                "Scaling efficiency (1 = linear)");
        TreeSet<Integer> ladder = step.gpuScaling().series().stream().flatMap(s -> s.points().stream())
                .map(GpuPoint::gpus).collect(Collectors.toCollection(TreeSet::new));
        ChartStyle.LadderAxis throughputAxis = ChartStyle.ladderXAxis(throughput, ladder);
        ChartStyle.LadderAxis efficiencyAxis = ChartStyle.ladderXAxis(efficiency, ladder);
        int index = 0;
        for (GpuSeries series : step.gpuScaling().series()) {
            List<GpuPoint> points = series.points().stream().filter(p -> p.throughputRps() != null).toList();
            if (points.isEmpty()) {
                continue;
            }
            double[] gpus = points.stream().mapToDouble(GpuPoint::gpus).toArray();
            double[] rps = points.stream().mapToDouble(p -> p.throughputRps().mean()).toArray();
            double[] ideal = Arrays.stream(gpus).map(g -> rps[0] * g / gpus[0]).toArray();
            ChartStyle.dataSeries(throughput.addSeries(series.series(), throughputAxis.positions(gpus), rps), index);
            ChartStyle.referenceSeries(throughput.addSeries("ideal linear: " + series.series(),
                    throughputAxis.positions(gpus), ideal));
            ChartStyle.dataSeries(efficiency.addSeries(series.series(), efficiencyAxis.positions(gpus),
                    points.stream().mapToDouble(GpuPoint::efficiency).toArray()), index);
            index++;
        }
        if (index > 0) {
            double[] ends = {ladder.first(), ladder.last()};
            ChartStyle.referenceSeries(efficiency.addSeries("ideal (efficiency 1)", efficiencyAxis.positions(ends),
                    new double[] {1.0, 1.0}));
        }
        renderIfData(throughput, name(step, "throughput_vs_gpus"),
                "Measured throughput against the ideal linear line from the smallest GPU count; the gap is lost scaling.",
                figures);
        renderIfData(efficiency, name(step, "efficiency_vs_gpus"),
                "Throughput per GPU relative to the smallest GPU count; 1 is perfect scaling, the drop shows the cost of adding GPUs.",
                figures);
    }

    private void kBins(StepFindings step, List<Figure> figures) {
        XYChart throughput = ChartStyle.lineChart("Throughput vs K bins", "K, bins of multi-bin batching (log scale)",
                "Throughput (req/s)");
        XYChart p95 = ChartStyle.lineChart("p95 end-to-end latency vs K bins",
                "K, bins of multi-bin batching (log scale)", "p95 e2e latency (s)");
        List<ConfigSummary> binned = step.configurations().stream().filter(c -> c.kBins() != null && c.kBins() > 0)
                .toList();
        Map<String, List<ConfigSummary>> lines = lines(binned, ConfigSummary::seriesAcrossK,
                Comparator.comparingInt(ConfigSummary::kBins));
        TreeSet<Integer> ladder = binned.stream().map(ConfigSummary::kBins)
                .collect(Collectors.toCollection(TreeSet::new));
        addLines(throughput, ChartStyle.ladderXAxis(throughput, ladder), lines, c -> (double) c.kBins(),
                THROUGHPUT_RPS, false);
        addLines(p95, ChartStyle.ladderXAxis(p95, ladder), lines, c -> (double) c.kBins(), E2E_P95_S, true);
        renderIfData(throughput, name(step, "throughput_vs_k"),
                "Throughput per K; where the line flattens, more bins stop paying off (see the recommended K in the findings).",
                figures);
        renderIfData(p95, name(step, "p95_e2e_vs_k"),
                "p95 end-to-end latency per K, unsaturated cells only; lower is better.", figures);
    }

    private void comparison(StepFindings step, List<Figure> figures) {
        List<ConfigSummary> ranked = step.configurations().stream()
                .filter(c -> c.metric(THROUGHPUT_RPS) != null)
                .sorted(Comparator.comparingDouble((ConfigSummary c) -> c.mean(THROUGHPUT_RPS)).reversed())
                .toList();
        if (ranked.isEmpty()) {
            return;
        }
        CategoryChart chart = ChartStyle.barChart("Throughput and goodput by configuration", "Configuration",
                "Requests per second (req/s)");
        List<String> labels = ranked.stream().map(ConfigSummary.distinctNames(ranked)).toList();
        CategorySeries throughput = chart.addSeries("throughput", labels,
                ranked.stream().map(c -> c.mean(THROUGHPUT_RPS)).toList());
        ChartStyle.categorySeries(throughput, 0);
        CategorySeries goodput = chart.addSeries("goodput (meets every SLA limit)", labels,
                ranked.stream().map(c -> Double.isFinite(c.mean(GOODPUT_RPS)) ? c.mean(GOODPUT_RPS) : 0.0).toList());
        goodput.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
        ChartStyle.categorySeries(goodput, 1);
        figures.add(renderer.render(chart, name(step, "throughput_by_configuration"),
                "Bars are throughput, markers goodput, best throughput first; the gap between them is traffic served outside the SLA."));
    }

    private void latencyCdf(StepFindings step, Map<String, double[]> completedE2eByConfig, List<Figure> figures) {
        XYChart chart = ChartStyle.lineChart("Latency CDF", "End-to-end latency (s)", "Fraction of completed requests");
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(step.configurations());
        int index = 0;
        for (ConfigSummary config : step.configurations()) {
            double[] latencies = completedE2eByConfig.get(config.configKey());
            if (latencies == null || latencies.length == 0) {
                continue;
            }
            double[][] cdf = cdf(latencies);
            XYSeries series = chart.addSeries(name.apply(config), cdf[0], cdf[1]);
            ChartStyle.dataSeries(series, index++);
        }
        chart.getStyler().setMarkerSize(3);
        renderIfData(chart, name(step, "latency_cdf"),
                "Share of completed requests finished within a latency; a curve further left is faster, a long flat top is a long tail.",
                figures);
    }

    private void gpuUtilisation(StepFindings step, List<Figure> figures) {
        List<ConfigSummary> configs = step.configurations().stream()
                .filter(c -> c.metric(GPU_UTIL_MEAN) != null).toList();
        if (configs.isEmpty()) {
            return;
        }
        CategoryChart chart = ChartStyle.barChart("GPU utilisation by configuration", "Configuration",
                "Busy fraction of the horizon");
        List<String> labels = configs.stream().map(ConfigSummary.distinctNames(configs)).toList();
        ChartStyle.categorySeries(chart.addSeries("mean over GPUs", labels,
                configs.stream().map(c -> c.mean(GPU_UTIL_MEAN)).toList()), 0);
        int index = 1;
        for (String column : List.of(GPU_UTIL_MIN, GPU_UTIL_MAX)) {
            if (configs.stream().allMatch(c -> c.metric(column) != null)) {
                CategorySeries extreme = chart.addSeries(column.equals(GPU_UTIL_MIN) ? "least busy GPU" : "busiest GPU",
                        labels, configs.stream().map(c -> c.mean(column)).toList());
                extreme.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
                ChartStyle.categorySeries(extreme, index);
            }
            index++;
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        figures.add(renderer.render(chart, name(step, "gpu_utilisation"),
                "Bars are the mean busy fraction over GPUs, markers the least and the busiest GPU; a wide spread means unbalanced routing."));
    }

    private static Map<String, List<ConfigSummary>> lines(List<ConfigSummary> configs,
                                                          Function<ConfigSummary, String> line,
                                                          Comparator<ConfigSummary> along) {
        Map<String, List<ConfigSummary>> lines = configs.stream()
                .collect(Collectors.groupingBy(line, LinkedHashMap::new, Collectors.toList()));
        lines.replaceAll((name, points) -> points.stream().sorted(along).toList());
        return lines;
    }

    private static void addLines(XYChart chart, ChartStyle.LadderAxis axis, Map<String, List<ConfigSummary>> lines,
                                 Function<ConfigSummary, Double> x, String metric, boolean unsaturatedOnly) {
        int index = 0;
        for (Map.Entry<String, List<ConfigSummary>> line : lines.entrySet()) {
            List<ConfigSummary> points = line.getValue().stream()
                    .filter(c -> c.metric(metric) != null && !(unsaturatedOnly && c.saturated()))
                    .toList();
            if (!points.isEmpty()) {
                ChartStyle.dataSeries(chart.addSeries(line.getKey(),
                        axis.positions(points.stream().mapToDouble(x::apply).toArray()),
                        points.stream().mapToDouble(c -> c.mean(metric)).toArray()), index);
            }
            index++;
        }
    }

    /** Empirical CDF thinned to at most {@link #CDF_POINTS} points: x = sorted latency, y = rank / n. */
    static double[][] cdf(double[] latencies) {
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        int points = Math.min(CDF_POINTS, sorted.length);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            int rank = points == sorted.length ? i : (int) Math.round((double) i * (sorted.length - 1) / (points - 1));
            x[i] = sorted[rank];
            y[i] = (rank + 1.0) / sorted.length;
        }
        return new double[][] {x, y};
    }

    private void renderIfData(XYChart chart, String name, String caption, List<Figure> figures) {
        if (!chart.getSeriesMap().isEmpty()) {
            figures.add(renderer.render(chart, name, caption));
        }
    }

    private static String name(StepFindings step, String figure) {
        String prefix = step.kind() == StepKind.COMPARISON ? step.step() : step.step().replaceAll("_.*", "");
        return prefix.replaceAll("[^A-Za-z0-9_-]", "_") + "_" + figure;
    }
}
