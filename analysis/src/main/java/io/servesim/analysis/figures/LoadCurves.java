package io.servesim.analysis.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
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
    public static final Map<String, String> LATENCIES = latencies();

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

    private static Map<String, String> latencies() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("ttft_p50_s", "p50 TTFT");
        names.put("ttft_p99_s", "p99 TTFT");
        names.put("tpot_p50_s", "p50 TPOT");
        names.put("tpot_p99_s", "p99 TPOT");
        names.put("e2e_p50_s", "p50 E2E latency");
        names.put("e2e_p99_s", "p99 E2E latency");
        return java.util.Collections.unmodifiableMap(names);
    }

    /**
     * Draws every curve into {@code renderer}'s folder: {@code sweep_<metric>_vs_offered}, {@code
     * sweep_<metric>_vs_achieved} for each latency, and {@code sweep_slo_attainment}; {@code capacityRps} maps a
     * configuration to its capacity under SLA (absent or NaN: no mark). Returns the figures.
     */
    public static List<Figure> render(FigureRenderer renderer, List<Point> points, Map<String, Double> capacityRps,
                                      String what) {
        List<Curve> curves = curves(points);
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<String, String> latency : LATENCIES.entrySet()) {
            String metric = latency.getKey().replace("_s", "");
            for (boolean achieved : new boolean[] {false, true}) {
                String axis = achieved ? "achieved" : "offered";
                XYChart chart = latencyChart(renderer.options(), curves, capacityRps, latency.getKey(),
                        latency.getValue(), achieved);
                figures.add(renderer.render(chart, "sweep", "sweep_" + metric + "_vs_" + axis, String.format(Locale.ROOT,
                        "%s against the %s rate, one line per configuration (mean over replications); crosses are"
                                + " saturated runs, dotted verticals the capacity under the SLA. %s",
                        latency.getValue(), axis, what)));
            }
        }
        figures.add(renderer.render(attainmentChart(renderer.options(), curves, capacityRps), "sweep",
                "sweep_slo_attainment", "Share of arrivals meeting every SLA limit against the offered rate; crosses"
                        + " are saturated runs, dotted verticals the capacity under the SLA. " + what));
        return figures;
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

    private static XYChart latencyChart(FigureOptions options, List<Curve> curves, Map<String, Double> capacityRps,
                                        String column, String name, boolean achieved) {
        XYChart chart = ChartStyle.lineChart(options, name + " vs " + (achieved ? "achieved" : "offered") + " rate",
                (achieved ? "Achieved" : "Offered") + " rate (req/s)", name + " (s, log scale)",
                legendEntries(curves, capacityRps));
        boolean positive = curves.stream().flatMap(c -> c.points().stream())
                .allMatch(p -> !(p.latencySeconds().get(column) <= 0));
        chart.getStyler().setYAxisLogarithmic(positive);
        if (!positive) {
            chart.setYAxisTitle(name + " (s)");
        }
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        draw(chart, curves, capacityRps, p -> p.latencySeconds().get(column), achieved);
        return chart;
    }

    private static XYChart attainmentChart(FigureOptions options, List<Curve> curves, Map<String, Double> capacityRps) {
        XYChart chart = ChartStyle.lineChart(options, "SLO attainment vs offered rate", "Offered rate (req/s)",
                "Arrivals meeting every SLA limit (%)", legendEntries(curves, capacityRps));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        draw(chart, curves, capacityRps, p -> 100 * p.goodputFraction(), false);
        return chart;
    }

    private static int legendEntries(List<Curve> curves, Map<String, Double> capacityRps) {
        int entries = 0;
        for (Curve curve : curves) {
            entries++;
            if (curve.points().stream().anyMatch(Point::saturated)) {
                entries++;
            }
            if (Double.isFinite(capacityRps.getOrDefault(curve.configuration(), Double.NaN))) {
                entries++;
            }
        }
        return entries;
    }

    private static void draw(XYChart chart, List<Curve> curves, Map<String, Double> capacityRps,
                             java.util.function.ToDoubleFunction<Point> y, boolean achieved) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Curve curve : curves) {
            for (Point p : curve.points()) {
                double v = y.applyAsDouble(p);
                if (Double.isFinite(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            List<double[]> steady = new ArrayList<>();
            List<double[]> saturated = new ArrayList<>();
            for (Point p : curve.points()) {
                double v = y.applyAsDouble(p);
                if (Double.isFinite(v)) {
                    (p.saturated() ? saturated : steady).add(new double[] {achieved ? p.achievedRps() : p.offeredRps(), v});
                }
            }
            if (!steady.isEmpty()) {
                XYSeries series = chart.addSeries(curve.configuration(), xs(steady), ys(steady));
                ChartStyle.dataSeries(series, i);
            }
            if (!saturated.isEmpty()) {
                XYSeries series = chart.addSeries(curve.configuration() + ", saturated", xs(saturated), ys(saturated));
                ChartStyle.scatterSeries(series, i);
                series.setMarker(SeriesMarkers.CROSS);
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
