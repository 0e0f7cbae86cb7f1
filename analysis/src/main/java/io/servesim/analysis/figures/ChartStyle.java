package io.servesim.analysis.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one style of every chart: size, fonts, a colour-blind-safe palette (Okabe–Ito), and for
 * each series a distinct marker AND line style as well as a colour, so figures stay readable in
 * black and white. Logarithmic axes are used only when all data are positive, with ticks at the
 * data values (the request or GPU ladder) instead of decades.
 *
 * <p>Loading this class puts AWT into headless mode, before any chart exists.
 */
public final class ChartStyle {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Height of the plot area relative to the width, before the legend's rows are added. */
    static final double ASPECT = 0.62;

    /** Name of the hidden series of {@link #roundXTicks}. */
    static final String OFF_GRID = "(off-grid point for round x ticks)";

    private static final Color[] COLOURS = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL};
    private static final BasicStroke[] LINES = {
        SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};
    private static final BasicStroke REFERENCE_LINE = new BasicStroke(
            1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f, new float[] {2.0f, 4.0f}, 0.0f);
    private static final Color REFERENCE_COLOUR = new Color(90, 90, 90);
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private ChartStyle() {
    }

    /**
     * A styled line chart with title and axis titles (axis titles carry the unit), {@code options.widthInches()}
     * wide and tall enough for a legend of {@code legendEntries} rows below the plot.
     */
    public static XYChart lineChart(FigureOptions options, String title, String xAxisTitle, String yAxisTitle,
                                    int legendEntries) {
        XYChart chart = titled(new LadderChart(options.widthPoints(), height(options, legendEntries, 0)), options,
                title, xAxisTitle, yAxisTitle, legendEntries);
        chart.getStyler().setMarkerSize((int) Math.round(options.fontSizePt() * 0.6));
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return chart;
    }

    /**
     * A styled line chart over a plain numeric x axis (simulated time), with evenly spaced, rounded ticks (once
     * {@link #roundXTicks} has seen the data) and the legend below the plot; otherwise as {@link #lineChart}. A
     * {@link LadderChart} without ladder values, so that its drawn labels can be read back.
     */
    public static XYChart timeChart(FigureOptions options, String title, String xAxisTitle, String yAxisTitle,
                                    int legendEntries) {
        XYChart chart = titled(new LadderChart(options.widthPoints(), height(options, legendEntries, 0)), options,
                title, xAxisTitle, yAxisTitle, legendEntries);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        chart.getStyler().setXAxisTickMarkSpacingHint(60);
        chart.getStyler().setXAxisMin(0.0);
        return chart;
    }

    /** Titles, the common style and a legend of {@code legendEntries} rows below the plot. */
    private static XYChart titled(XYChart chart, FigureOptions options, String title, String xAxisTitle,
                                  String yAxisTitle, int legendEntries) {
        chart.setTitle(title);
        chart.setXAxisTitle(xAxisTitle);
        chart.setYAxisTitle(yAxisTitle);
        common(chart.getStyler(), options);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendVisible(legendEntries > 0);
        return chart;
    }

    /**
     * A styled square chart for comparing two quantities of one unit (parity plots), {@code options.widthInches()}
     * on each side, without grid lines and with the legend inside the top-left corner (where such plots stay empty).
     */
    public static XYChart squareChart(FigureOptions options, String title, String xAxisTitle, String yAxisTitle) {
        XYChart chart = new XYChart(options.widthPoints(), options.widthPoints());
        chart.setTitle(title);
        chart.setXAxisTitle(xAxisTitle);
        chart.setYAxisTitle(yAxisTitle);
        common(chart.getStyler(), options);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setMarkerSize((int) Math.round(options.fontSizePt() * 0.5));
        return chart;
    }

    /** Chart height: the plot at {@link #ASPECT} of the width, the legend's rows, and room for long tick labels. */
    static int height(FigureOptions options, int legendEntries, double extraPoints) {
        double row = options.fontSizePt() * 1.45;
        return (int) Math.round(options.widthPoints() * ASPECT + legendEntries * row + (legendEntries > 0 ? 8 : 0)
                + extraPoints);
    }

    /**
     * Rounded tick labels on the y axis for data in [{@code min}, {@code max}]: as many decimals as the span needs
     * (a span of 0.3 gets 2, of 30 none), so no tick prints 199.65362981441373.
     */
    public static void roundedYTicks(XYChart chart, double min, double max) {
        double span = Math.abs(max - min);
        double reference = span > 0 ? span : Math.max(Math.abs(max), 1e-12);
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(reference / 10))));
        String pattern = decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
        chart.getStyler().setYAxisDecimalPattern(pattern);
    }

    /**
     * Makes XChart tick the x axis of {@code chart}, whose series are sampled at the positions {@code x}, at round
     * numbers. XChart ticks an axis whose data positions are all equally spaced (a time series' sampling grid) at
     * every k-th position — 0, 34, 68 s for a grid of 3.4 s — and at multiples of 1, 2 or 5 × 10ⁿ otherwise. One
     * point half a step after the first sample, with y NaN (nothing drawn), no marker, no line and no legend entry,
     * makes the positions unequal.
     */
    public static void roundXTicks(XYChart chart, double[] x) {
        if (x.length < 2) {
            return;
        }
        XYSeries offGrid = chart.addSeries(OFF_GRID, new double[] {(x[0] + x[1]) / 2}, new double[] {Double.NaN});
        offGrid.setMarker(SeriesMarkers.NONE);
        offGrid.setLineStyle(SeriesLines.NONE);
        offGrid.setShowInLegend(false);
    }

    /** Styles the {@code index}-th data series: colour, marker and line style all cycle. */
    public static void dataSeries(XYSeries series, int index) {
        series.setLineColor(COLOURS[index % COLOURS.length]);
        series.setMarkerColor(COLOURS[index % COLOURS.length]);
        series.setMarker(MARKERS[index % MARKERS.length]);
        series.setLineStyle(LINES[index % LINES.length]);
    }

    /** The colour of the {@code index}-th data series. */
    public static Color colour(int index) {
        return COLOURS[index % COLOURS.length];
    }

    /**
     * Styles the {@code index}-th series of many points drawn as markers only: colour and marker cycle as in
     * {@link #dataSeries}, the colour half transparent so that dense clouds show their density.
     */
    public static void scatterSeries(XYSeries series, int index) {
        dataSeries(series, index);
        Color colour = COLOURS[index % COLOURS.length];
        series.setMarkerColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 140));
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    /** Styles a reference line (ideal scaling, efficiency 1): thin, grey, dotted, no marker. */
    public static void referenceSeries(XYSeries series) {
        series.setLineColor(REFERENCE_COLOUR);
        series.setLineStyle(REFERENCE_LINE);
        series.setMarker(SeriesMarkers.NONE);
    }

    /**
     * A logarithmic x axis for a ladder of values (requests, GPUs, K) with a tick labelled at each
     * ladder value, or a linear one when some value is not positive (log axes only on positive data).
     * Positions are log2 of the values on a linear axis (XChart places custom-labelled ticks at the
     * data positions), so the spacing is logarithmic and every tick reads as a ladder value.
     */
    public static LadderAxis ladderXAxis(XYChart chart, Collection<? extends Number> ladder) {
        boolean logarithmic = !ladder.isEmpty() && ladder.stream().allMatch(v -> v.doubleValue() > 0.0);
        LadderAxis axis = new LadderAxis(logarithmic);
        // every tick is labelled with its value: XChart loops forever when a formatting function gives several
        // ticks the same label (it takes that for a format that chops decimals), so no tick may be left blank
        List<Double> values = ladder.stream().map(Number::doubleValue).distinct().sorted().toList();
        chart.getStyler().setxAxisTickLabelsFormattingFunction(position -> compact(axis.value(position)));
        // XChart thins tick labels wider than the spacing hint (default 74 pt), which dropped half a GPU ladder's
        // labels (100 among them): a hint just wider than the widest label keeps one label per ladder value
        FontRenderContext context = new FontRenderContext(null, true, true);
        double widest = ladder.stream().mapToDouble(v -> chart.getStyler().getAxisTickLabelsFont()
                .getStringBounds(compact(v.doubleValue()), context).getWidth()).max().orElse(0);
        chart.getStyler().setXAxisTickMarkSpacingHint((int) Math.ceil(widest + 1));
        if (chart instanceof LadderChart ladderChart) {
            ladderChart.ladder(values.stream().map(v -> axis.positions(new double[] {v})[0]).toList(),
                    values.stream().map(ChartStyle::compact).toList());
        }
        return axis;
    }

    /** Maps ladder values to x positions and back; see {@link #ladderXAxis}. */
    public record LadderAxis(boolean logarithmic) {

        /** The x positions of {@code values}: log2 on a logarithmic axis, the values themselves otherwise. */
        public double[] positions(double[] values) {
            return logarithmic ? Arrays.stream(values).map(v -> Math.log(v) / Math.log(2.0)).toArray() : values;
        }

        /** The value at an x position, rounded to an integer when it is one up to floating-point error. */
        double value(double position) {
            double value = logarithmic ? Math.pow(2.0, position) : position;
            double nearest = Math.rint(value);
            return Math.abs(value - nearest) <= 1e-9 * Math.max(1.0, Math.abs(value)) ? nearest : value;
        }
    }

    /** 1000 → "1K", 250000 → "250K", 1000000 → "1M", 8 → "8", 0.5 → "0.5". */
    public static String compact(double value) {
        if (value >= 1e6 && value % 1e5 == 0) {
            return trim(value / 1e6) + "M";
        }
        if (value >= 1e3 && value % 1e2 == 0) {
            return trim(value / 1e3) + "K";
        }
        return trim(value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }

    private static void common(AxesChartStyler styler, FigureOptions options) {
        float size = (float) options.fontSizePt();
        styler.setBaseFont(BASE.deriveFont(size));
        styler.setChartTitleFont(BASE.deriveFont(Font.BOLD, size + 1f));
        styler.setAxisTitleFont(BASE.deriveFont(size));
        styler.setAxisTickLabelsFont(BASE.deriveFont(size));
        styler.setLegendFont(BASE.deriveFont(size));
        styler.setLegendPadding(3);
        styler.setLegendSeriesLineLength((int) Math.round(size * 2.5));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.DARK_GRAY);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setSeriesColors(COLOURS);
        styler.setSeriesMarkers(MARKERS);
        styler.setSeriesLines(LINES);
        styler.setChartPadding(6);
        styler.setChartTitlePadding(4);
        styler.setAntiAlias(true);
    }
}
