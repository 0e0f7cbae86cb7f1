package io.servesim.analysis.figures;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Paired differences with their 95 % confidence intervals, one dot and error bar per pair of arms, and the line
 * y = 0 across the pairs (no difference): a pair whose bar reaches 0 does not differ significantly.
 */
public final class DifferenceFigure {

    /** Series name of the zero line. */
    public static final String ZERO = "no difference";

    /**
     * One pair's difference A − B.
     *
     * @param label     "A − B"
     * @param mean      mean difference
     * @param halfWidth half the width of its 95 % interval (0 without one)
     */
    public record Pair(String label, double mean, double halfWidth) {
    }

    private DifferenceFigure() {
    }

    /** The chart of {@code pairs} of a metric named {@code metric} in {@code unit}. */
    public static XYChart chart(FigureOptions options, String metric, String unit, List<Pair> pairs) {
        List<String> labels = pairs.stream().map(Pair::label).toList();
        XYChart chart = ConfigurationAxis.chart(options, "Paired difference in " + metric,
                "Difference in " + metric + " (" + unit + ")", labels, 2);
        double[] x = ConfigurationAxis.positions(pairs.size());
        double[] y = pairs.stream().mapToDouble(Pair::mean).toArray();
        double[] errors = pairs.stream().mapToDouble(Pair::halfWidth).toArray();
        XYSeries series = chart.addSeries("mean with 95 % CI", x, y, errors);
        ChartStyle.dataSeries(series, 0);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double low = 0;
        double high = 0;
        for (int i = 0; i < y.length; i++) {
            low = Math.min(low, y[i] - errors[i]);
            high = Math.max(high, y[i] + errors[i]);
        }
        double pad = high > low ? (high - low) * 0.1 : 1;
        chart.getStyler().setYAxisMin(low - pad);
        chart.getStyler().setYAxisMax(high + pad);
        ChartStyle.roundedYTicks(chart, low - pad, high + pad);
        // the line spans the data positions only: any other x would stop XChart ticking at the pairs' labels
        XYSeries zero = chart.addSeries(ZERO, new double[] {1, pairs.size()}, new double[] {0, 0});
        ChartStyle.referenceSeries(zero);
        return chart;
    }
}
