package io.servesim.analysis.figures;

import static org.assertj.core.api.Assertions.assertThat;

import io.servesim.analysis.ResultsCsvLoader;
import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.FindingsCalculator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

class ComparisonFigureTest {
    @TempDir
    Path dir;

    @Test
    void ratesThatDifferByAFewPerMilleAreDrawnOnAnAxisFromZero() {
        // four routers serving 27.93-27.98 req/s (the prefix study at 2,000 requests): an axis fitted to the data
        // spans 0.05 req/s, where rounded ticks of "#,##0" all read "28" and none is drawn; from 0 the ticks are 0-30
        ResultsFixture fixture = new ResultsFixture();
        double[] served = {27.953, 27.930, 27.980, 27.977};
        for (int c = 0; c < served.length; c++) {
            fixture.row().step("prefix").scheduler("continuous").set("cell_id", "prefix-router" + c + "-r0")
                    .set("config_label", "router " + c).served(served[c]);
        }
        fixture.write(dir, "prefix_results.csv");
        Map<String, XYChart> charts = new LinkedHashMap<>();
        FigureRenderer capturing = new FigureRenderer(dir.resolve("figures")) {
            @Override
            public Figure render(Chart<?, ?> chart, String step, String name, String caption) {
                charts.put(name, (XYChart) chart);
                return super.render(chart, step, name, caption);
            }
        };
        ResultsCsvLoader loader = new ResultsCsvLoader();
        Findings findings = new FindingsCalculator().calculate(loader.loadResults(dir));

        new StudyFigures(capturing).render(findings, Map.of());

        assertThat(charts).containsOnlyKeys("prefix_throughput_by_configuration");
        XYChart chart = charts.get("prefix_throughput_by_configuration");
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(0.0);
        assertThat(chart.getStyler().getYAxisDecimalPattern()).isEqualTo("#,##0");
    }
}
