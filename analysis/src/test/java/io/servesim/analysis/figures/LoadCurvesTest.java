package io.servesim.analysis.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class LoadCurvesTest {

    private static LoadCurves.Point point(String configuration, double rate, boolean saturated, double ttftP99,
                                          double goodput) {
        return new LoadCurves.Point(configuration, rate, rate, saturated ? 15 : rate, saturated, goodput,
                Map.of("ttft_p50_s", ttftP99 / 2, "ttft_p99_s", ttftP99, "tpot_p50_s", 0.01, "tpot_p99_s", 0.02,
                        "e2e_p50_s", 3.0, "e2e_p99_s", 6.0));
    }

    private static final List<LoadCurves.Point> POINTS = List.of(
            point("continuous", 4, false, 0.05, 1.0), point("continuous", 12, false, 0.1, 1.0),
            point("continuous", 20, true, 200, 0.03),
            // two replications at 12 req/s: averaged into one point
            point("multi_bin", 4, false, 0.05, 1.0), point("multi_bin", 12, false, 0.2, 1.0),
            point("multi_bin", 12, false, 0.6, 0.98));

    @Test
    void saturatedRunsAreCrossesApartFromTheSteadyLine() {
        XYChart chart = LoadCurves.latencyChart(FigureOptions.DEFAULT, LoadCurves.curves(POINTS),
                Map.of("continuous", 15.2), "ttft", false);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series.get("continuous p99").getYData()).containsExactly(0.05, 0.1);
        assertThat(series.get("continuous, saturated").getXData()).containsExactly(20.0, 20.0);
        assertThat(series.get("continuous, saturated").getYData()).containsExactly(100.0, 200.0);
        assertThat(series).doesNotContainKey("multi_bin, saturated");
        // mean over the two replications at 12 req/s: (0.2 + 0.6) / 2
        assertThat(series.get("multi_bin p99").getYData()[1]).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
        // the capacity mark is a vertical at 15.2 req/s spanning the data; none for a configuration without capacity
        XYSeries mark = series.get("continuous capacity 15.2 req/s");
        assertThat(mark.getXData()).containsExactly(15.2, 15.2);
        assertThat(mark.getYData()).containsExactly(0.025, 200.0);
        assertThat(series.keySet()).noneMatch(name -> name.startsWith("multi_bin capacity"));
        // 0.025 s to 200 s spans four decades: logarithmic
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
    }

    @Test
    void latenciesWithinADecadeGetALinearAxis() {
        XYChart chart = LoadCurves.latencyChart(FigureOptions.DEFAULT, LoadCurves.curves(POINTS), Map.of(), "tpot",
                true);
        // TPOT 0.01 to 0.02 s: XChart would label no decade on a log axis
        assertThat(chart.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(chart.getSeriesMap().get("continuous p50").getXData()).containsExactly(4.0, 12.0);
    }

    @Test
    void attainmentIsInPercentOfArrivals() {
        XYChart chart = LoadCurves.attainmentChart(FigureOptions.DEFAULT, LoadCurves.curves(POINTS), Map.of());
        assertThat(chart.getSeriesMap().get("multi_bin").getYData()).containsExactly(100.0, 99.0);
        assertThat(chart.getSeriesMap().get("continuous, saturated").getYData()).containsExactly(3.0);
    }
}
