package io.servesim.analysis.figures;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.KV_USAGE_MEAN;
import static io.servesim.analysis.ResultsSchema.MEAN_BATCH_SIZE;
import static io.servesim.analysis.ResultsSchema.OFFERED_RPS;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;
import static io.servesim.analysis.ResultsSchema.TTFT_P95_S;

import io.servesim.analysis.findings.ConfigSummary;
import io.servesim.analysis.findings.Estimate;
import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import io.servesim.analysis.findings.FindingRecords.KPoint;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import io.servesim.analysis.findings.FindingRecords.KVerdict;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.RelativeGain;
import io.servesim.analysis.findings.RunDescription;
import io.servesim.analysis.findings.StepFindings;
import io.servesim.analysis.findings.StepKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

/**
 * Builds the figures of a results folder from its findings. Every figure is a claim about the data, so a figure
 * that would carry no information is not drawn (the findings say it in words): fewer than two points along its
 * axis, or every value the same. Error bars are 95 % confidence intervals when there are replications. Captions
 * end with what was simulated.
 *
 * <ul>
 *   <li>step 1: throughput against requests (with the offered load); p95 e2e latency against requests,
 *       unsaturated cells only;</li>
 *   <li>step 2: throughput and goodput against GPUs on log–log axes, with the offered load and the ideal line
 *       (linear from the smallest count, capped at the offered load); batch occupancy and KV use against GPUs;</li>
 *   <li>step 3: goodput and throughput against K; p95 TTFT against K, unsaturated cells only;</li>
 *   <li>other studies: throughput and goodput per configuration;</li>
 *   <li>with per-request files: the e2e latency CDF of the unsaturated configurations, on a log axis.</li>
 * </ul>
 */
public final class StudyFigures {

    /** Points per CDF line; longer per-request samples are thinned to evenly spaced ranks. */
    static final int CDF_POINTS = 200;
    /** A y range wider than this ratio is drawn on a logarithmic axis (when all values are positive). */
    static final double LOG_Y_RATIO = 20;

    /** The kinds of figure, as a plan's {@code analysis:} list chooses them (a figure's file name ends with its kind). */
    public static final List<String> KINDS = List.of("throughput_vs_requests", "p95_e2e_vs_requests",
            "throughput_vs_gpus", "resources_vs_gpus", "change_vs_k", "throughput_by_configuration", "latency_cdf");

    private final FigureRenderer renderer;
    private final FigureOptions options;
    private final Set<String> chosen;
    private final Map<String, List<String>> omitted = new LinkedHashMap<>();

    /** Draws every kind of figure that carries information. */
    public StudyFigures(FigureRenderer renderer) {
        this(renderer, Set.copyOf(KINDS));
    }

    /** Draws the {@code chosen} kinds of {@link #KINDS} only; the others are listed as not drawn, and why. */
    public StudyFigures(FigureRenderer renderer, Set<String> chosen) {
        this.renderer = renderer;
        this.options = renderer.options();
        this.chosen = Set.copyOf(chosen);
    }

    /**
     * @param findings             the findings of the folder
     * @param completedE2eByConfig e2e latencies (seconds) of completed requests per configuration key,
     *                             empty when the folder has no per-request files
     */
    public List<Figure> render(Findings findings, Map<String, double[]> completedE2eByConfig) {
        List<Figure> figures = new ArrayList<>();
        String simulated = simulated(findings.description());
        for (StepFindings step : findings.steps()) {
            Context context = new Context(step, simulated, figures, omitted);
            switch (step.kind()) {
                case REQUEST_SCALING -> requestScaling(context);
                case GPU_SCALING -> gpuScaling(context);
                case KBINS_SENSITIVITY -> kBins(context);
                case COMPARISON -> comparison(context);
            }
            latencyCdf(context, completedE2eByConfig);
        }
        return figures;
    }

    /** What a figure of a step needs to be rendered and captioned, and where to say which figures were not drawn. */
    private record Context(StepFindings step, String simulated, List<Figure> figures, Map<String, List<String>> omitted) {
        void omit(String why) {
            omitted.computeIfAbsent(step.step(), s -> new ArrayList<>()).add(why);
        }
    }

    /** Per step, the figures not drawn because they would carry no information, and why. */
    public Map<String, List<String>> omitted() {
        return omitted;
    }

    /** "Simulated: Llama-2-7B on H100-SXM, workload stress offered at 200 req/s, seed 42, 1 replication; …". */
    static String simulated(RunDescription d) {
        StringBuilder text = new StringBuilder("Simulated: ").append(String.join(", ", d.models())).append(" on ")
                .append(String.join(", ", d.gpuTypes()));
        if (d.workload() != null) {
            text.append(", workload ").append(d.workload());
        }
        if (d.offeredRps() != null) {
            text.append(" offered at ").append(ChartStyle.compact(Math.round(d.offeredRps() * 100) / 100.0))
                    .append(" req/s");
        }
        text.append(", seed ").append(d.seed() == null ? "not recorded" : d.seed()).append(", ")
                .append(d.replications()).append(d.replications() == 1 ? " replication" : " replications")
                .append(d.replications() > 1 ? " (error bars: 95 % CI)" : "")
                .append("; step-time model: ").append(d.stepTimeModel()).append('.');
        return text.toString();
    }

    private void requestScaling(Context c) {
        Map<String, List<ConfigSummary>> lines = lines(c.step().configurations(), ConfigSummary::seriesAcrossRequests,
                Comparator.comparingLong(ConfigSummary::requests));
        TreeSet<Long> volumes = c.step().configurations().stream().map(ConfigSummary::requests)
                .collect(Collectors.toCollection(TreeSet::new));
        if (volumes.size() < 2) {
            c.omit("Trends against requests: not drawn, the step has a single request volume (see the table).");
            return;
        }
        Double offered = commonOffered(c.step().configurations());
        XYChart throughput = ChartStyle.lineChart(options, "Throughput vs requests", "Requests per cell (log scale)",
                "Throughput (req/s)", lines.size() + (offered == null ? 0 : 1));
        ChartStyle.LadderAxis axis = ChartStyle.ladderXAxis(throughput, volumes);
        List<double[]> all = addLines(throughput, axis, lines, cfg -> (double) cfg.requests(), THROUGHPUT_RPS, false);
        if (offered != null) {
            referenceLine(throughput, "offered load", axis.positions(new double[] {volumes.first(), volumes.last()}),
                    offered);
            all.add(new double[] {offered});
        }
        yAxis(throughput, all);
        render(c, throughput, "throughput_vs_requests",
                "One line per configuration; the dotted line is the offered load. A line below it is saturated: its"
                        + " throughput is its service capacity; a line that flattens as requests grow has reached it.");
        XYChart p95 = ChartStyle.lineChart(options, "p95 e2e latency vs requests",
                "Requests per cell (log scale)", "p95 e2e latency (s)", unsaturatedLines(lines, E2E_P95_S));
        List<double[]> latency = addLines(p95, ChartStyle.ladderXAxis(p95, volumes), lines,
                cfg -> (double) cfg.requests(), E2E_P95_S, true);
        if (informative(p95, latency)) {
            yAxis(p95, latency);
            render(c, p95, "p95_e2e_vs_requests", "Unsaturated cells only (a saturated cell's latency measures the run"
                    + " length); lower is better.");
        } else if (latency.isEmpty()) {
            c.omit("p95 e2e latency against requests: not drawn, every cell is saturated (its latency measures the run"
                    + " length).");
        } else {
            c.omit("p95 e2e latency against requests: not drawn, fewer than two unsaturated points or all equal.");
        }
    }

    private void gpuScaling(Context c) {
        for (GpuSeries series : c.step().gpuScaling().series()) {
            List<GpuPoint> points = series.points().stream().filter(p -> p.throughputRps() != null).toList();
            if (points.size() < 2) {
                c.omit("Throughput against GPUs: not drawn for " + series.series() + ", a single GPU count.");
                continue;
            }
            double[] gpus = points.stream().mapToDouble(GpuPoint::gpus).toArray();
            Double offered = series.offeredRps();
            XYChart chart = ChartStyle.lineChart(options, "Throughput vs GPUs", "GPUs (log scale)",
                    "Requests per second (log scale)", 3 + (offered == null ? 0 : 1));
            ChartStyle.LadderAxis axis = ChartStyle.ladderXAxis(chart, Arrays.stream(gpus).boxed().toList());
            double[] x = axis.positions(gpus);
            double[] throughput = points.stream().mapToDouble(p -> p.throughputRps().mean()).toArray();
            double[] goodput = points.stream().mapToDouble(p -> p.goodputRps() == null ? Double.NaN
                    : p.goodputRps().mean()).toArray();
            List<double[]> all = new ArrayList<>(List.of(throughput));
            ChartStyle.dataSeries(add(chart, "throughput", x, throughput,
                    halfWidths(points.stream().map(GpuPoint::throughputRps).toList())), 0);
            if (Arrays.stream(goodput).allMatch(v -> v > 0)) {
                ChartStyle.dataSeries(add(chart, "goodput (meets the SLA)", x, goodput,
                        halfWidths(points.stream().map(GpuPoint::goodputRps).toList())), 1);
                all.add(goodput);
            }
            double perGpu = throughput[0] / gpus[0];
            double[] ideal = Arrays.stream(gpus).map(g -> offered == null ? perGpu * g : Math.min(perGpu * g, offered))
                    .toArray();
            ChartStyle.referenceSeries(chart.addSeries("ideal scaling", x, ideal));
            all.add(ideal);
            if (offered != null) {
                referenceLine(chart, "offered load", new double[] {x[0], x[x.length - 1]}, offered);
                chart.getSeriesMap().get("offered load").setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
                all.add(new double[] {offered});
            }
            logY(chart, all);
            render(c, chart, gpuFigureName(c, series, "throughput_vs_gpus"),
                    "Log–log, " + series.series() + ". Throughput (solid) and goodput against GPUs, with the offered"
                            + " load (dashed) and the ideal scaling (dotted: linear from the throughput on "
                            + (long) gpus[0] + " GPU" + (gpus[0] == 1 ? "" : "s")
                            + " until it meets the offered load). Below the"
                            + " offered load the cluster is saturated and the gap to the ideal is lost capacity; at the"
                            + " offered load throughput cannot rise further, whatever the GPU count.");
            resources(c, series, axis, gpus);
        }
    }

    private void resources(Context c, GpuSeries series, ChartStyle.LadderAxis axis, double[] gpus) {
        Map<Integer, ConfigSummary> byGpus = c.step().configurations().stream()
                .filter(cfg -> cfg.seriesAcrossGpus().equals(series.series()))
                .collect(Collectors.toMap(ConfigSummary::gpus, Function.identity(), (a, b) -> a));
        Integer maxNumSeqs = c.step().resources().maxNumSeqs();
        double[] occupancy = Arrays.stream(gpus).map(g -> byGpus.get((int) g).mean(MEAN_BATCH_SIZE)
                / (maxNumSeqs == null ? Double.NaN : maxNumSeqs)).toArray();
        double[] kv = Arrays.stream(gpus).map(g -> byGpus.get((int) g).mean(KV_USAGE_MEAN)).toArray();
        boolean hasOccupancy = Arrays.stream(occupancy).allMatch(Double::isFinite);
        boolean hasKv = Arrays.stream(kv).allMatch(Double::isFinite);
        List<double[]> all = new ArrayList<>();
        if (hasOccupancy) {
            all.add(occupancy);
        }
        if (hasKv) {
            all.add(kv);
        }
        if (all.isEmpty()) {
            return;
        }
        if (allEqual(all)) {
            c.omit("Batch occupancy and KV use against GPUs: not drawn, the same at every GPU count.");
            return;
        }
        XYChart chart = ChartStyle.lineChart(options, "Batch occupancy and KV use vs GPUs", "GPUs (log scale)",
                "Share of capacity in use", all.size());
        double[] x = axis.positions(gpus);
        ChartStyle.ladderXAxis(chart, Arrays.stream(gpus).boxed().toList());
        int index = 0;
        if (hasOccupancy) {
            ChartStyle.dataSeries(chart.addSeries("batch occupancy", x, occupancy), index++);
        }
        if (hasKv) {
            ChartStyle.dataSeries(chart.addSeries("KV-cache use", x, kv), index);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0%");
        render(c, chart, gpuFigureName(c, series, "resources_vs_gpus"),
                series.series() + ": how full the GPUs were — batch occupancy is the mean batch as a share of"
                        + " max_num_seqs (" + maxNumSeqs + "), KV-cache use the time-averaged share of KV-cache blocks"
                        + " in use. Falling lines mean the same load is spread over more GPUs. (The busy fraction is not"
                        + " drawn: it is near 100 % whenever a batch of any size runs.)");
    }

    private static String gpuFigureName(Context c, GpuSeries series, String figure) {
        return c.step().gpuScaling().series().size() == 1 ? figure
                : figure + "_" + series.series().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }

    private void kBins(Context c) {
        List<KSeries> lines = c.step().kBins().series().stream().filter(s -> s.points().size() >= 2).toList();
        if (lines.isEmpty()) {
            return;
        }
        if (lines.stream().allMatch(s -> s.verdict() == KVerdict.IDENTICAL)) {
            c.omit("Change against the smallest K: not drawn, every K gives the same result (see the table).");
            return;
        }
        int baseK = lines.get(0).baseK();
        TreeSet<Integer> ladder = lines.stream().flatMap(s -> s.points().stream()).map(KPoint::k)
                .collect(Collectors.toCollection(TreeSet::new));
        int entries = 1 + lines.stream().mapToInt(s -> s.points().stream().allMatch(p -> p.k() == s.baseK()
                || p.ttftP95VsBase() != null) ? 2 : 1).sum();
        XYChart chart = ChartStyle.lineChart(options, "Change against K=" + baseK, "K, bins of multi-bin batching"
                + " (log scale)", "Change vs K=" + baseK + " (%)", entries);
        ChartStyle.LadderAxis axis = ChartStyle.ladderXAxis(chart, ladder);
        int index = 0;
        // the parts every series shares (scheduler, GPUs, requests) go to the caption, so the legend stays short
        List<String> shared = sharedParts(lines.stream().map(KSeries::series).toList());
        for (KSeries line : lines) {
            String suffix = lines.size() == 1 ? "" : ", " + ownParts(line.series(), shared);
            double[] x = axis.positions(line.points().stream().mapToDouble(KPoint::k).toArray());
            index = changeSeries(chart, "goodput" + suffix, x, line, KPoint::goodputVsBase, index);
            if (line.points().stream().allMatch(p -> p.k() == line.baseK() || p.ttftP95VsBase() != null)) {
                index = changeSeries(chart, "p95 TTFT" + suffix, x, line, KPoint::ttftP95VsBase, index);
            }
        }
        referenceLine(chart, "no change", axis.positions(new double[] {ladder.first(), ladder.last()}), 0.0);
        double[] range = dataRange(chart);
        if (range[0] == 0.0 && range[1] == 0.0) {
            c.omit("Change against the smallest K: not drawn, no K changes goodput or p95 TTFT at all.");
            return;
        }
        ChartStyle.roundedYTicks(chart, range[0], range[1]);
        int replications = lines.stream().mapToInt(KSeries::replications).min().orElse(1);
        render(c, chart, "change_vs_k", (lines.size() == 1 ? lines.get(0).series() + ". "
                        : shared.isEmpty() ? "" : String.join(", ", shared) + ". ")
                + "Change of goodput (and of p95 TTFT between unsaturated cells) against K=" + baseK + ", in %;"
                + (replications > 1 ? " error bars are 95 % CIs paired over replications (common random numbers);"
                        : " a single run, so no interval;")
                + " see the findings for which changes count.");
    }

    /** The comma-separated parts of a series name that every one of {@code names} has. */
    static List<String> sharedParts(List<String> names) {
        List<String> shared = new ArrayList<>(List.of(names.get(0).split(", ")));
        for (String name : names) {
            shared.retainAll(List.of(name.split(", ")));
        }
        return shared;
    }

    /** The parts of {@code name} not in {@code shared} (all of it when every part is shared). */
    static String ownParts(String name, List<String> shared) {
        List<String> own = new ArrayList<>(List.of(name.split(", ")));
        own.removeAll(shared);
        return own.isEmpty() ? name : String.join(", ", own);
    }

    /** A series of changes against the smallest K, in %, with their interval as error bars when there is one. */
    private static int changeSeries(XYChart chart, String name, double[] x, KSeries line,
                                    Function<KPoint, RelativeGain> change, int index) {
        double[] y = new double[x.length];
        double[] bars = new double[x.length];
        boolean anyBar = false;
        for (int i = 0; i < x.length; i++) {
            KPoint p = line.points().get(i);
            RelativeGain g = p.k() == line.baseK() ? null : change.apply(p);
            y[i] = g == null || !Double.isFinite(g.gain()) ? 0.0 : 100 * g.gain();
            if (g != null && g.ciLow() != null && g.ciHigh() != null) {
                bars[i] = 100 * (g.ciHigh() - g.ciLow()) / 2;
                anyBar = true;
            }
        }
        ChartStyle.dataSeries(anyBar ? chart.addSeries(name, x, y, bars) : chart.addSeries(name, x, y), index);
        return index + 1;
    }

    private void comparison(Context c) {
        List<ConfigSummary> ranked = c.step().configurations().stream()
                .filter(cfg -> cfg.metric(THROUGHPUT_RPS) != null)
                .sorted(Comparator.comparingDouble((ConfigSummary cfg) -> cfg.mean(THROUGHPUT_RPS)).reversed())
                .toList();
        if (ranked.size() < 2) {
            c.omit("Throughput by configuration: not drawn, a single configuration (see the table).");
            return;
        }
        List<String> labels = ranked.stream().map(ConfigSummary.distinctNames(ranked)).toList();
        // no legend: XChart lays a legend below over the longest rotated label; the caption names the markers
        XYChart chart = ConfigurationAxis.chart(options, "Throughput and goodput", "Rate (req/s)", labels, 0);
        double[] x = ConfigurationAxis.positions(labels.size());
        double[] throughput = ranked.stream().mapToDouble(cfg -> cfg.mean(THROUGHPUT_RPS)).toArray();
        double[] goodput = ranked.stream().mapToDouble(cfg -> Double.isFinite(cfg.mean(GOODPUT_RPS))
                ? cfg.mean(GOODPUT_RPS) : 0.0).toArray();
        XYSeries t = add(chart, "throughput", x, throughput, halfWidths(ranked.stream()
                .map(cfg -> cfg.metric(THROUGHPUT_RPS)).toList()));
        ChartStyle.dataSeries(t, 0);
        t.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        XYSeries g = add(chart, "goodput (meets every SLA limit)", x, goodput, halfWidths(ranked.stream()
                .map(cfg -> cfg.metric(GOODPUT_RPS)).toList()));
        ChartStyle.dataSeries(g, 1);
        g.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        List<double[]> all = List.of(throughput, goodput);
        if (!informative(chart, all)) {
            return;
        }
        double[] range = dataRange(chart);
        // rates from zero: an axis fitted to rates that differ by a few per mille has no tick the pattern tells apart
        chart.getStyler().setYAxisMin(Math.min(0.0, range[0]));
        ChartStyle.roundedYTicks(chart, Math.min(0.0, range[0]), range[1]);
        render(c, chart, "throughput_by_configuration", "Throughput (circles) and goodput (squares) of each"
                + " configuration, highest throughput first; the gap between them is traffic served outside the SLA.");
    }

    private void latencyCdf(Context c, Map<String, double[]> completedE2eByConfig) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(c.step().configurations());
        List<ConfigSummary> drawn = c.step().configurations().stream()
                .filter(cfg -> !cfg.saturated())
                .filter(cfg -> {
                    double[] latencies = completedE2eByConfig.get(cfg.configKey());
                    return latencies != null && latencies.length > 1 && Arrays.stream(latencies).allMatch(v -> v > 0);
                })
                .toList();
        if (drawn.isEmpty()) {
            return;
        }
        if (drawn.size() > 1 && coincide(drawn.stream().map(cfg -> completedE2eByConfig.get(cfg.configKey())).toList())) {
            c.omit("Latency CDF: not drawn, the e2e latency distributions of the " + drawn.size() + " unsaturated"
                    + " configurations coincide (every decile within " + Math.round(CDF_COINCIDE * 100) + " %).");
            return;
        }
        XYChart chart = ChartStyle.lineChart(options, "Latency CDF",
                "End-to-end latency (s, log scale)", "Share of completed requests", drawn.size());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0%");
        int index = 0;
        for (ConfigSummary config : drawn) {
            double[][] cdf = cdf(completedE2eByConfig.get(config.configKey()));
            XYSeries series = chart.addSeries(name.apply(config), cdf[0], cdf[1]);
            ChartStyle.dataSeries(series, index++);
            series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        long excluded = c.step().configurations().stream().filter(ConfigSummary::saturated)
                .filter(cfg -> completedE2eByConfig.containsKey(cfg.configKey())).count();
        render(c, chart, "latency_cdf", "Unsaturated configurations only. Share of completed requests finished within a latency (log axis); a curve"
                + " further left is faster, a long flat top is a long tail."
                + (excluded == 0 ? "" : " " + excluded + " saturated configuration" + (excluded == 1 ? " is" : "s are")
                        + " left out: their latencies measure the run length."));
    }

    private static Map<String, List<ConfigSummary>> lines(List<ConfigSummary> configs,
                                                          Function<ConfigSummary, String> line,
                                                          Comparator<ConfigSummary> along) {
        Map<String, List<ConfigSummary>> lines = configs.stream()
                .collect(Collectors.groupingBy(line, LinkedHashMap::new, Collectors.toList()));
        lines.replaceAll((name, points) -> points.stream().sorted(along).toList());
        return lines;
    }

    private static int unsaturatedLines(Map<String, List<ConfigSummary>> lines, String metric) {
        return (int) lines.values().stream()
                .filter(points -> points.stream().anyMatch(c -> !c.saturated() && c.metric(metric) != null)).count();
    }

    /** Adds one line per entry; returns the y values drawn. */
    private static List<double[]> addLines(XYChart chart, ChartStyle.LadderAxis axis, Map<String, List<ConfigSummary>> lines,
                                           Function<ConfigSummary, Double> x, String metric, boolean unsaturatedOnly) {
        List<double[]> drawn = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<ConfigSummary>> line : lines.entrySet()) {
            List<ConfigSummary> points = line.getValue().stream()
                    .filter(c -> c.metric(metric) != null && !(unsaturatedOnly && c.saturated()))
                    .toList();
            if (!points.isEmpty()) {
                double[] y = points.stream().mapToDouble(c -> c.mean(metric)).toArray();
                XYSeries series = add(chart, line.getKey(), axis.positions(points.stream().mapToDouble(x::apply).toArray()),
                        y, halfWidths(points.stream().map(c -> c.metric(metric)).toList()));
                ChartStyle.dataSeries(series, index);
                drawn.add(y);
            }
            index++;
        }
        return drawn;
    }

    /** A series, with 95 % CI error bars when any value has an interval. */
    private static XYSeries add(XYChart chart, String name, double[] x, double[] y, double[] halfWidths) {
        boolean bars = halfWidths != null && Arrays.stream(halfWidths).anyMatch(h -> h > 0);
        return bars ? chart.addSeries(name, x, y, halfWidths) : chart.addSeries(name, x, y);
    }

    /** Half-widths of the 95 % intervals, 0 where there is none; null when no estimate has one. */
    private static double[] halfWidths(List<Estimate> estimates) {
        if (estimates.stream().noneMatch(e -> e != null && e.hasInterval())) {
            return null;
        }
        return estimates.stream().mapToDouble(e -> e == null || !e.hasInterval() ? 0.0
                : (e.ciHigh() - e.ciLow()) / 2).toArray();
    }

    /** A horizontal reference line at {@code y} from x[0] to x[1]. */
    private static void referenceLine(XYChart chart, String name, double[] x, double y) {
        ChartStyle.referenceSeries(chart.addSeries(name, x, new double[] {y, y}));
    }

    /** The offered load of the step when every configuration shares it (within 2 %), else null. */
    private static Double commonOffered(List<ConfigSummary> configs) {
        double[] offered = configs.stream().mapToDouble(c -> c.mean(OFFERED_RPS)).filter(Double::isFinite).toArray();
        if (offered.length == 0) {
            return null;
        }
        double min = Arrays.stream(offered).min().orElseThrow();
        double max = Arrays.stream(offered).max().orElseThrow();
        return max - min <= 0.02 * max ? Arrays.stream(offered).average().orElseThrow() : null;
    }

    /** At least two distinct x positions and not every y the same. */
    private static boolean informative(XYChart chart, List<double[]> ys) {
        long xs = chart.getSeriesMap().values().stream().flatMapToDouble(s -> Arrays.stream(s.getXData())).distinct().count();
        return xs >= 2 && !ys.isEmpty() && !allEqual(ys);
    }

    private static boolean allEqual(List<double[]> ys) {
        double first = ys.get(0)[0];
        return ys.stream().flatMapToDouble(Arrays::stream).allMatch(v -> v == first);
    }

    /** The smallest and largest y of the chart's series, error bars included; {0, 0} when empty. */
    static double[] dataRange(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            double[] y = series.getYData();
            double[] bars = series.getExtraValues();
            for (int i = 0; i < y.length; i++) {
                double bar = bars == null ? 0 : bars[i];
                if (Double.isFinite(y[i])) {
                    min = Math.min(min, y[i] - bar);
                    max = Math.max(max, y[i] + bar);
                }
            }
        }
        return min <= max ? new double[] {min, max} : new double[] {0, 0};
    }

    /** Logarithmic y when the values span more than {@link #LOG_Y_RATIO} and are all positive, with rounded ticks. */
    private static void yAxis(XYChart chart, List<double[]> ys) {
        double[] range = dataRange(chart);
        double min = Math.min(min(ys), range[0]);
        double max = Math.max(max(ys), range[1]);
        if (min > 0 && max / min > LOG_Y_RATIO) {
            logAxisFromDecade(chart, Math.max(min, min(ys) / 10));
            chart.setYAxisTitle(chart.getYAxisTitle().replace(")", ", log scale)"));
        } else {
            ChartStyle.roundedYTicks(chart, min, max);
        }
    }

    /** Logarithmic y (the scaling figures), or linear with rounded ticks when some value or error bar is not positive. */
    private static void logY(XYChart chart, List<double[]> ys) {
        double low = Math.min(min(ys), dataRange(chart)[0]);
        if (low > 0) {
            logAxisFromDecade(chart, low);
        } else {
            chart.setYAxisTitle(chart.getYAxisTitle().replace(" (log scale)", ""));
            double[] range = dataRange(chart);
            ChartStyle.roundedYTicks(chart, Math.min(min(ys), range[0]), Math.max(max(ys), range[1]));
        }
    }

    /** A logarithmic y axis that starts at the decade below the data, so at least two decades are labelled. */
    private static void logAxisFromDecade(XYChart chart, double min) {
        chart.getStyler().setYAxisLogarithmic(true);
        // XChart draws a grid line at every minor tick of a log axis (1…9 per decade): too dense to read
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
    }

    private static double min(List<double[]> ys) {
        return ys.stream().flatMapToDouble(Arrays::stream).filter(Double::isFinite).min().orElse(0);
    }

    private static double max(List<double[]> ys) {
        return ys.stream().flatMapToDouble(Arrays::stream).filter(Double::isFinite).max().orElse(1);
    }

    /** Deciles closer than this relative difference make CDF curves indistinguishable. */
    static final double CDF_COINCIDE = 0.02;

    /** Whether every decile (10 % … 90 %) of every sample is within {@link #CDF_COINCIDE} of the first sample's. */
    static boolean coincide(List<double[]> samples) {
        double[] first = deciles(samples.get(0));
        for (double[] sample : samples) {
            double[] d = deciles(sample);
            for (int i = 0; i < d.length; i++) {
                if (Math.abs(d[i] - first[i]) > CDF_COINCIDE * Math.abs(first[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double[] deciles(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        double[] d = new double[9];
        for (int i = 1; i <= 9; i++) {
            d[i - 1] = sorted[(int) Math.min(sorted.length - 1, Math.floor(i / 10.0 * sorted.length))];
        }
        return d;
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

    private void render(Context c, XYChart chart, String figure, String caption) {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        String kind = KINDS.stream().filter(k -> figure.equals(k) || figure.startsWith(k + "_")).findFirst()
                .orElseThrow(() -> new IllegalStateException("figure " + figure + " is of no kind in KINDS"));
        if (!chosen.contains(kind)) {
            c.omit(name(c.step(), figure) + ": not drawn, the plan's analysis does not choose " + kind + ".");
            return;
        }
        c.figures().add(renderer.render(chart, c.step().step(), name(c.step(), figure), caption + " " + c.simulated()));
    }

    private static String name(StepFindings step, String figure) {
        String prefix = step.kind() == StepKind.COMPARISON ? step.step() : step.step().replaceAll("_.*", "");
        return prefix.replaceAll("[^A-Za-z0-9_-]", "_") + "_" + figure;
    }
}
