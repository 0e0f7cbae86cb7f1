package io.servesim.analysis.figures;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import static org.assertj.core.api.Assertions.assertThat;

class FrontierFigureTest {
    @Test
    void drawsOneSeriesPerGroupWithItsCountAndTheFrontierWithTheUnitsOnTheAxes() {
        XYChart chart = FrontierFigure.chart(FigureOptions.DEFAULT, "Capacity against cost", "Cost (USD per hour)",
                "Capacity (req/s)", List.of(new FrontierFigure.Group("H100-SXM", new double[] {4, 8}, new double[] {10, 30}),
                        new FrontierFigure.Group("A100-80GB", new double[] {5, Double.NaN}, new double[] {6, 7})),
                new double[] {4, 8}, new double[] {10, 30}).orElseThrow();
        assertThat(chart.getSeriesMap().keySet()).containsExactly("H100-SXM (2)", "A100-80GB (1)", FrontierFigure.FRONTIER);
        assertThat(chart.getXAxisTitle()).isEqualTo("Cost (USD per hour)");
        assertThat(chart.getYAxisTitle()).isEqualTo("Capacity (req/s)");
        // The axes hold every point with room around it: y from 6 to 30, padded by 8 % of the span.
        assertThat(chart.getStyler().getYAxisMin()).isCloseTo(6 - 0.08 * 24, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chart.getStyler().getYAxisMax()).isCloseTo(30 + 0.08 * 24, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anAxisSpanningTwentyTimesOrMoreIsLogarithmicAndPaddedByDecades() {
        // capacities of one A100 (10 req/s) to sixteen H100s (1,640 req/s) against costs of 2.5 to 24 USD per hour
        XYChart chart = FrontierFigure.chart(FigureOptions.DEFAULT, "Capacity against cost", "Cost (USD per hour)",
                "Capacity (req/s)", List.of(new FrontierFigure.Group("A100-80GB", new double[] {2.5, 5, 15},
                        new double[] {10, 25, 100}), new FrontierFigure.Group("H100-SXM", new double[] {4, 24},
                        new double[] {150, 1640})), new double[] {2.5, 4, 24}, new double[] {10, 150, 1640})
                .orElseThrow();
        assertThat(chart.getStyler().isXAxisLogarithmic()).as("costs span 9.6x").isFalse();
        assertThat(chart.getStyler().isYAxisLogarithmic()).as("capacities span 164x").isTrue();
        assertThat(chart.getYAxisTitle()).isEqualTo("Capacity (req/s, log scale)");
        assertThat(chart.getXAxisTitle()).isEqualTo("Cost (USD per hour)");
        // 8 % of the 2.21 decades on either side: a factor of 164^0.08 = 1.504
        assertThat(chart.getStyler().getYAxisMin()).isCloseTo(10 / Math.pow(164, 0.08), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chart.getStyler().getYAxisMax()).isCloseTo(1640 * Math.pow(164, 0.08), org.assertj.core.data.Offset.offset(1e-9));
        org.knowm.xchart.BitmapEncoder.getBufferedImage(chart);
        assertThat(((LadderChart) chart).drawnXLabels()).as("linear costs").contains("10", "20");
        // exactly 20x is logarithmic, a span crossing zero never is
        assertThat(FrontierFigure.chart(FigureOptions.DEFAULT, "t", "x", "y", List.of(new FrontierFigure.Group("g",
                new double[] {1, 20}, new double[] {-1, 100})), new double[0], new double[0]).orElseThrow())
                .satisfies(c -> {
                    assertThat(c.getStyler().isXAxisLogarithmic()).isTrue();
                    assertThat(c.getXAxisTitle()).isEqualTo("x (log scale)");
                    assertThat(c.getStyler().isYAxisLogarithmic()).isFalse();
                });
    }

    @Test
    void aChartWithoutAFinitePointIsNotDrawn() {
        assertThat(FrontierFigure.chart(FigureOptions.DEFAULT, "t", "x", "y",
                List.of(new FrontierFigure.Group("g", new double[] {Double.NaN}, new double[] {1})), new double[0],
                new double[0])).isEmpty();
    }
}
