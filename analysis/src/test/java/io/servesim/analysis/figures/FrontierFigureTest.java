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
    void aChartWithoutAFinitePointIsNotDrawn() {
        assertThat(FrontierFigure.chart(FigureOptions.DEFAULT, "t", "x", "y",
                List.of(new FrontierFigure.Group("g", new double[] {Double.NaN}, new double[] {1})), new double[0],
                new double[0])).isEmpty();
    }
}
