package io.servesim.analysis.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A trade-off between two quantities: every point as a marker, one series per group (e.g. GPU type), and the Pareto
 * frontier through the points nobody beats on both, as a line. An axis whose positive values span
 * {@value #LOG_SPAN}× or more is logarithmic. Points that are not finite numbers are left out; a chart without a
 * point is not drawn (it would carry no information).
 */
public final class FrontierFigure {
    /** Name of the frontier series. */
    public static final String FRONTIER = "Pareto frontier";

    /** Ratio of the largest to the smallest positive value from which an axis is logarithmic. */
    static final double LOG_SPAN = 20;

    /** One group's points. */
    public record Group(String name, double[] x, double[] y) {
        public Group {
            if (x.length != y.length) {
                throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
            }
            x = x.clone();
            y = y.clone();
        }
    }

    private FrontierFigure() {
    }

    /** The chart, or empty when no group has a finite point. {@code frontierX/Y} run along the frontier in order. */
    public static Optional<XYChart> chart(FigureOptions options, String title, String xAxisTitle, String yAxisTitle,
                                          List<Group> groups, double[] frontierX, double[] frontierY) {
        List<Group> kept = new ArrayList<>();
        for (Group g : groups) {
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < g.x().length; i++) {
                if (Double.isFinite(g.x()[i]) && Double.isFinite(g.y()[i])) {
                    points.add(new double[] {g.x()[i], g.y()[i]});
                }
            }
            if (!points.isEmpty()) {
                kept.add(new Group(g.name() + " (" + points.size() + ")",
                        points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
            }
        }
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = ChartStyle.lineChart(options, title, xAxisTitle, yAxisTitle, kept.size() + 1);
        double[] xRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < kept.size(); i++) {
            Group g = kept.get(i);
            XYSeries series = chart.addSeries(g.name(), g.x(), g.y());
            ChartStyle.scatterSeries(series, i);
            widen(xRange, g.x());
            widen(yRange, g.y());
        }
        if (frontierX.length > 0) {
            XYSeries frontier = chart.addSeries(FRONTIER, frontierX, frontierY);
            ChartStyle.referenceSeries(frontier);
            // A frontier of one point is a point: ring it so that it shows.
            frontier.setMarker(SeriesMarkers.CIRCLE);
            frontier.setMarkerColor(new Color(90, 90, 90, 90));
        }
        if (axis(chart.getStyler()::setXAxisLogarithmic, chart.getStyler()::setXAxisMin,
                chart.getStyler()::setXAxisMax, xRange)) {
            chart.setXAxisTitle(logScale(xAxisTitle));
        }
        if (axis(chart.getStyler()::setYAxisLogarithmic, chart.getStyler()::setYAxisMin,
                chart.getStyler()::setYAxisMax, yRange)) {
            chart.setYAxisTitle(logScale(yAxisTitle));
        }
        // a logarithmic axis labels its decades only, written as the linear ones are (1,000, not 1E3)
        chart.getStyler().setXAxisLogarithmicDecadeOnly(true).setYAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        ChartStyle.roundedYTicks(chart, yRange[0], yRange[1]);
        return Optional.of(chart);
    }

    private static void widen(double[] range, double[] values) {
        for (double v : values) {
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], v);
        }
    }

    /**
     * One axis over {@code range}: logarithmic when every value is positive and the largest is at least
     * {@value #LOG_SPAN} times the smallest (capacities of one GPU and of a hundred: on a linear axis the small ones
     * merge at zero), linear otherwise; 8 % of the span (linear) or of the decades (logarithmic) around the data, so
     * no marker sits on the frame. Returns whether the axis is logarithmic.
     */
    private static boolean axis(Consumer<Boolean> logarithmic, DoubleConsumer min, DoubleConsumer max,
                                double[] range) {
        boolean log = range[0] > 0 && range[1] >= LOG_SPAN * range[0];
        logarithmic.accept(log);
        if (log) {
            double factor = Math.pow(range[1] / range[0], 0.08);
            min.accept(range[0] / factor);
            max.accept(range[1] * factor);
        } else {
            double span = range[1] - range[0];
            double pad = 0.08 * (span > 0 ? span : Math.max(Math.abs(range[1]), 1e-9));
            min.accept(range[0] - pad);
            max.accept(range[1] + pad);
        }
        return log;
    }

    /** The axis title said to be on a log scale: "Capacity (req/s)" → "Capacity (req/s, log scale)". */
    private static String logScale(String title) {
        return title.endsWith(")") ? title.substring(0, title.length() - 1) + ", log scale)" : title + " (log scale)";
    }

    /** Renders the chart as {@code figures/<name>.png} and {@code .svg}; empty when there is nothing to plot. */
    public static Optional<Figure> render(FigureRenderer renderer, String step, String name, String title,
                                          String xAxisTitle, String yAxisTitle, List<Group> groups, double[] frontierX,
                                          double[] frontierY, String caption) {
        return chart(renderer.options(), title, xAxisTitle, yAxisTitle, groups, frontierX, frontierY)
                .map(c -> renderer.render(c, step, name, caption));
    }
}
