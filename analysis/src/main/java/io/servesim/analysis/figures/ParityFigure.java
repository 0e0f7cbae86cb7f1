package io.servesim.analysis.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * A parity plot: what a model predicted against what was measured, one marker per pair, one series per metric, on
 * logarithmic axes with the same range, and the line y = x on which every exact prediction lies (above it: predicted
 * too slow; below: too fast). Only positive pairs can sit on log axes; the others are left out and counted.
 */
public final class ParityFigure {
    /** The axis maximum from which the x axis's decade labels are slanted. */
    static final double WIDE_TICKS = 10_000;

    /** Series name of the y = x line. */
    public static final String IDENTITY = "y = x";

    /** One metric's pairs, measured and predicted, in one unit. */
    public record Series(String name, double[] measured, double[] predicted) {
        public Series {
            if (measured.length != predicted.length) {
                throw new IllegalArgumentException("measured and predicted differ in length: " + measured.length
                        + " vs " + predicted.length);
            }
            measured = measured.clone();
            predicted = predicted.clone();
        }
    }

    /** The chart and the pairs it left out (not positive, or not numbers). */
    public record Chart(XYChart chart, int plotted, int leftOut) {
    }

    private ParityFigure() {
    }

    /**
     * The parity chart of {@code series} in {@code unit}, or empty when no pair is positive (a figure without data
     * carries no information).
     */
    public static Optional<Chart> chart(FigureOptions options, String title, String unit, List<Series> series) {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        int leftOut = 0;
        List<double[][]> kept = new ArrayList<>();
        for (Series s : series) {
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < s.measured().length; i++) {
                double x = s.measured()[i];
                double y = s.predicted()[i];
                if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
                    points.add(new double[] {x, y});
                    low = Math.min(low, Math.min(x, y));
                    high = Math.max(high, Math.max(x, y));
                } else {
                    leftOut++;
                }
            }
            kept.add(points.toArray(new double[0][]));
        }
        if (!(high > 0)) {
            return Optional.empty();
        }
        // Equal ranges on both axes, padded by a factor of 1.5 so no marker sits on the frame.
        double min = low / 1.5;
        double max = high * 1.5;
        XYChart chart = ChartStyle.squareChart(options, title, "Measured (" + unit + ", log scale)",
                "Predicted (" + unit + ", log scale)");
        // Decade ticks as plain numbers (10, 100, 1,000) rather than 1E3; a formatting function would replace XChart's
        // logarithmic ticks by linear ones.
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(min);
        chart.getStyler().setXAxisMax(max);
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(max);
        if (max >= WIDE_TICKS) {
            // from "10,000" on, neighbouring decade labels of a square chart run into each other: slant them
            chart.getStyler().setXAxisLabelRotation(45);
        }
        XYSeries identity = chart.addSeries(IDENTITY, new double[] {min, max}, new double[] {min, max});
        ChartStyle.referenceSeries(identity);
        int plotted = 0;
        for (int i = 0; i < series.size(); i++) {
            double[][] points = kept.get(i);
            if (points.length == 0) {
                continue;
            }
            double[] x = new double[points.length];
            double[] y = new double[points.length];
            for (int j = 0; j < points.length; j++) {
                x[j] = points[j][0];
                y[j] = points[j][1];
            }
            XYSeries s = chart.addSeries(series.get(i).name() + " (" + points.length + ")", x, y);
            ChartStyle.scatterSeries(s, i);
            plotted += points.length;
        }
        return Optional.of(new Chart(chart, plotted, leftOut));
    }

    /**
     * Renders the chart in the renderer's options as {@code figures/<name>.png} (300 dpi) and {@code .svg}; empty when
     * there is nothing to plot. {@code step} names what the figure belongs to (see {@link Figure}).
     */
    public static Optional<Figure> render(FigureRenderer renderer, String step, String name, String title, String unit,
                                          List<Series> series) {
        return chart(renderer.options(), title, unit, series).map(c -> renderer.render(c.chart(), step, name,
                "Predicted against measured, " + c.plotted() + " pairs on log–log axes; points on the dotted line y = x"
                        + " are exact, above it the prediction is too slow, below too fast"
                        + (c.leftOut() > 0 ? "; " + c.leftOut() + " non-positive pairs left out" : "") + "."));
    }
}
