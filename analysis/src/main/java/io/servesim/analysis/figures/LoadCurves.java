package io.servesim.analysis.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Latency–throughput and SLO-attainment curves of a load sweep: for each configuration, a latency percentile against
 * the offered and against the achieved rate, and the share of requests meeting every SLA limit against the offered
 * rate. Replications of one configuration at one rate are averaged (a point is saturated when any replication
 * was). Steady points are joined by a line; saturated points — where the queue grew for as long as arrivals lasted,
 * so the latency is a property of the run's length, not of the rate — are drawn as hollow crosses without a line,
 * in the configuration's colour. Each configuration's capacity under its SLA is a vertical dotted line.
 */
public final class LoadCurves {

    /** The latency columns drawn, with their names for people. */
    public static final Map<String, String> LATENCIES = Map.of("ttft_p50_s", "p50 TTFT", "ttft_p99_s", "p99 TTFT",
            "tpot_p50_s", "p50 TPOT", "tpot_p99_s", "p99 TPOT", "e2e_p50_s", "p50 E2E latency", "e2e_p99_s",
            "p99 E2E latency");

    /** The latencies drawn (column prefix → name), each at p50 and p99 on one chart. */
    static final Map<String, String> METRICS = metrics();

    /**
     * One cell of a sweep.
     *
     * @param configuration   the configuration's label
     * @param rateRps         the rate asked for (groups replications), req/s
     * @param offeredRps      arrivals per second measured over the run
     * @param achievedRps     completions per second while the load lasted
     * @param saturated       whether the run was saturated
     * @param goodputFraction requests meeting every SLA limit / arrivals
     * @param latencySeconds  column → value, for the columns of {@link #LATENCIES} (NaN when none completed)
     */
    public record Point(String configuration, double rateRps, double offeredRps, double achievedRps, boolean saturated,
                        double goodputFraction, Map<String, Double> latencySeconds) {
        public Point {
            latencySeconds = Map.copyOf(latencySeconds);
        }
    }

    /** A configuration's points averaged over replications, in rate order. */
    record Curve(String configuration, List<Point> points) {
    }

    private LoadCurves() {
    }

    private static Map<String, String> metrics() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("ttft", "TTFT");
        names.put("tpot", "TPOT");
        names.put("e2e", "E2E latency");
        return java.util.Collections.unmodifiableMap(names);
    }

    /**
     * Draws every curve into {@code renderer}'s folder: {@code sweep_<metric>_vs_offered} and {@code
     * sweep_<metric>_vs_achieved} for TTFT, TPOT and E2E latency (p50 and p99 on one chart), and {@code
     * sweep_slo_attainment}; {@code capacityRps} maps a configuration to its capacity under SLA (absent or NaN: no
     * mark). The figures are drawn in parallel, one per core. Returns them in that order.
     */
    public static List<Figure> render(FigureRenderer renderer, List<Point> points, Map<String, Double> capacityRps,
                                      String what) {
        List<Curve> curves = curves(points);
        List<Callable<Figure>> jobs = new ArrayList<>();
        for (String metric : METRICS.keySet()) {
            for (boolean achieved : new boolean[] {false, true}) {
                String axis = achieved ? "achieved" : "offered";
                jobs.add(() -> renderer.render(latencyChart(renderer.options(), curves, capacityRps, metric, achieved),
                        "sweep", "sweep_" + metric + "_vs_" + axis, String.format(Locale.ROOT,
                                "p50 (solid) and p99 (dashed) %s against the %s rate, one colour per configuration (mean"
                                        + " over replications); crosses are saturated runs, dotted verticals the"
                                        + " capacity under the SLA. %s", METRICS.get(metric), axis, what)));
            }
        }
        jobs.add(() -> renderer.render(attainmentChart(renderer.options(), curves, capacityRps), "sweep",
                "sweep_slo_attainment", "Share of arrivals meeting every SLA limit against the offered rate; crosses"
                        + " are saturated runs, dotted verticals the capacity under the SLA. " + what));
        return renderAll(jobs);
    }

    private static List<Figure> renderAll(List<Callable<Figure>> jobs) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs.size(), Runtime.getRuntime().availableProcessors()));
        try {
            List<Figure> figures = new ArrayList<>(jobs.size());
            for (Future<Figure> future : pool.invokeAll(jobs)) {
                figures.add(future.get());
            }
            return figures;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing the sweep's figures", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The points grouped by configuration (first-seen order) and averaged over replications at each rate. */
    static List<Curve> curves(List<Point> points) {
        Map<String, TreeMap<Double, List<Point>>> grouped = new LinkedHashMap<>();
        for (Point p : points) {
            grouped.computeIfAbsent(p.configuration(), c -> new TreeMap<>())
                    .computeIfAbsent(p.rateRps(), r -> new ArrayList<>()).add(p);
        }
        List<Curve> curves = new ArrayList<>();
        grouped.forEach((configuration, byRate) -> {
            List<Point> means = new ArrayList<>();
            byRate.forEach((rate, replications) -> means.add(mean(configuration, rate, replications)));
            curves.add(new Curve(configuration, means));
        });
        return curves;
    }

    private static Point mean(String configuration, double rate, List<Point> replications) {
        int n = replications.size();
        boolean saturated = replications.stream().anyMatch(Point::saturated);
        Map<String, Double> latency = new LinkedHashMap<>();
        for (String column : LATENCIES.keySet()) {
            latency.put(column, replications.stream().mapToDouble(p -> p.latencySeconds().getOrDefault(column, Double.NaN))
                    .sum() / n);
        }
        return new Point(configuration, rate, replications.stream().mapToDouble(Point::offeredRps).sum() / n,
                replications.stream().mapToDouble(Point::achievedRps).sum() / n, saturated,
                replications.stream().mapToDouble(Point::goodputFraction).sum() / n, latency);
    }

    static XYChart latencyChart(FigureOptions options, List<Curve> curves, Map<String, Double> capacityRps,
                                        String metric, boolean achieved) {
        String name = METRICS.get(metric);
        String p50 = metric + "_p50_s";
        String p99 = metric + "_p99_s";
        XYChart chart = ChartStyle.lineChart(options, "p50 and p99 " + name + " vs " + (achieved ? "achieved" : "offered")
                        + " rate", (achieved ? "Achieved" : "Offered") + " rate (req/s)", name + " (s, log scale)",
                legendEntries(curves, capacityRps, 2));
        double[] values = curves.stream().flatMap(c -> c.points().stream())
                .flatMapToDouble(p -> java.util.stream.DoubleStream.of(p.latencySeconds().get(p50), p.latencySeconds().get(p99)))
                .filter(Double::isFinite).toArray();
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(0);
        // a log axis only on positive data spanning a decade or more: XChart labels decades only
        boolean logarithmic = min > 0 && max >= 10 * min;
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (!logarithmic) {
            ChartStyle.roundedYTicks(chart, min, max);
            chart.setYAxisTitle(name + " (s)");
        } else {
            chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        }
        Map<String, java.util.function.ToDoubleFunction<Point>> series = new LinkedHashMap<>();
        series.put("p50", p -> p.latencySeconds().get(p50));
        series.put("p99", p -> p.latencySeconds().get(p99));
        draw(chart, curves, capacityRps, series, achieved);
        return chart;
    }

    static XYChart attainmentChart(FigureOptions options, List<Curve> curves, Map<String, Double> capacityRps) {
        XYChart chart = ChartStyle.lineChart(options, "SLO attainment vs offered rate", "Offered rate (req/s)",
                "Arrivals meeting every SLA limit (%)", legendEntries(curves, capacityRps, 1));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        draw(chart, curves, capacityRps, Map.of("", p -> 100 * p.goodputFraction()), false);
        return chart;
    }

    private static int legendEntries(List<Curve> curves, Map<String, Double> capacityRps, int percentiles) {
        int entries = 0;
        for (Curve curve : curves) {
            entries += percentiles;
            if (curve.points().stream().anyMatch(Point::saturated)) {
                entries++;
            }
            if (Double.isFinite(capacityRps.getOrDefault(curve.configuration(), Double.NaN))) {
                entries++;
            }
        }
        return entries;
    }

    /**
     * Draws each curve's {@code series} (name → y; one unnamed series for a single quantity): steady points joined,
     * saturated ones as crosses (one legend entry), the first series solid and the others dashed, all in the configuration's colour.
     */
    private static void draw(XYChart chart, List<Curve> curves, Map<String, Double> capacityRps,
                             Map<String, java.util.function.ToDoubleFunction<Point>> series, boolean achieved) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Curve curve : curves) {
            for (Point p : curve.points()) {
                for (java.util.function.ToDoubleFunction<Point> y : series.values()) {
                    double v = y.applyAsDouble(p);
                    if (Double.isFinite(v)) {
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                    }
                }
            }
        }
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            int s = 0;
            List<double[]> saturated = new ArrayList<>();
            for (Map.Entry<String, java.util.function.ToDoubleFunction<Point>> quantity : series.entrySet()) {
                String name = curve.configuration() + (quantity.getKey().isEmpty() ? "" : " " + quantity.getKey());
                List<double[]> steady = new ArrayList<>();
                for (Point p : curve.points()) {
                    double v = quantity.getValue().applyAsDouble(p);
                    if (Double.isFinite(v)) {
                        (p.saturated() ? saturated : steady).add(new double[] {achieved ? p.achievedRps() : p.offeredRps(), v});
                    }
                }
                if (!steady.isEmpty()) {
                    XYSeries line = chart.addSeries(name, xs(steady), ys(steady));
                    ChartStyle.dataSeries(line, i);
                    line.setLineStyle(s == 0 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
                    if (s > 0) {
                        line.setMarker(SeriesMarkers.SQUARE);
                    }
                }
                s++;
            }
            if (!saturated.isEmpty()) {
                XYSeries crosses = chart.addSeries(curve.configuration() + ", saturated", xs(saturated), ys(saturated));
                ChartStyle.scatterSeries(crosses, i);
                crosses.setMarker(SeriesMarkers.CROSS);
            }
            double capacity = capacityRps.getOrDefault(curve.configuration(), Double.NaN);
            if (Double.isFinite(capacity) && high >= low) {
                XYSeries mark = chart.addSeries(curve.configuration() + " capacity " + ChartStyle.compact(round(capacity))
                        + " req/s", new double[] {capacity, capacity}, new double[] {low, high});
                ChartStyle.referenceSeries(mark);
                mark.setLineColor(ChartStyle.colour(i));
            }
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double[] xs(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[1]).toArray();
    }
}
