package io.servesim.analysis.figures;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * An x axis of named configurations for a dot chart: configuration i sits at x = i + 1 and its tick is labelled
 * with its name, rotated to vertical so every label fits whatever the count (XChart places the ticks of a
 * custom-labelled axis at the data positions, one per configuration). The chart is made taller by the length of the
 * longest label, so no label is clipped.
 */
public final class ConfigurationAxis {

    private ConfigurationAxis() {
    }

    /** x positions 1 … n. */
    public static double[] positions(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** A dot chart whose x axis names {@code labels}, in order. */
    public static XYChart chart(FigureOptions options, String title, String yAxisTitle, List<String> labels,
                                int legendEntries) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10).deriveFont((float) options.fontSizePt());
        FontRenderContext context = new FontRenderContext(null, true, true);
        double longest = labels.stream().mapToDouble(l -> font.getStringBounds(l, context).getWidth()).max().orElse(0);
        XYChart chart = new XYChart(options.widthPoints(),
                ChartStyle.height(options, legendEntries, longest + 2 * options.fontSizePt()));
        XYChart styled = ChartStyle.lineChart(options, title, "", yAxisTitle, legendEntries);
        chart.setTitle(title);
        chart.setYAxisTitle(yAxisTitle);
        chart.setXAxisTitle("");
        copyStyle(styled, chart);
        // no x min/max: XChart then ticks at the data positions only, where the formatting function labels them
        chart.getStyler().setXAxisLabelRotation(90);
        // rotated labels start at the axis (right-aligned text reads top-down from the tick), not centred
        chart.getStyler().setXAxisLabelAlignmentVertical(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            int index = (int) Math.round(x) - 1;
            return Math.abs(x - Math.rint(x)) < 1e-9 && index >= 0 && index < labels.size() ? labels.get(index) : "";
        });
        return chart;
    }

    private static void copyStyle(XYChart from, XYChart to) {
        var a = from.getStyler();
        var b = to.getStyler();
        b.setBaseFont(a.getBaseFont());
        b.setChartTitleFont(a.getChartTitleFont());
        b.setAxisTitleFont(a.getAxisTitleFont());
        b.setAxisTickLabelsFont(a.getAxisTickLabelsFont());
        b.setLegendFont(a.getLegendFont());
        b.setLegendPadding(a.getLegendPadding());
        b.setLegendSeriesLineLength(a.getLegendSeriesLineLength());
        b.setChartBackgroundColor(a.getChartBackgroundColor());
        b.setPlotBackgroundColor(a.getPlotBackgroundColor());
        b.setPlotBorderColor(a.getPlotBorderColor());
        b.setPlotGridLinesColor(a.getPlotGridLinesColor());
        b.setLegendBorderColor(a.getLegendBorderColor());
        b.setChartPadding(a.getChartPadding());
        b.setChartTitlePadding(a.getChartTitlePadding());
        b.setAntiAlias(a.getAntiAlias());
        b.setLegendPosition(a.getLegendPosition());
        b.setLegendVisible(a.isLegendVisible());
        b.setMarkerSize(a.getMarkerSize());
        b.setErrorBarsColorSeriesColor(true);
    }
}
