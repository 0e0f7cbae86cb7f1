package io.servesim.analysis.figures;

import static org.assertj.core.api.Assertions.assertThat;

import io.servesim.analysis.ResultsCsvLoader;
import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.ResultsSchema;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.FindingsCalculator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Every figure is read back as a reviewer would: a title and axis titles with units, a label at every ladder value
 * and every configuration, axis ranges that contain the data and its error bars, error bars when there are
 * replications, log axes only over positive data, rounded ticks, legends short enough for one column, and no
 * figure with a single point. The charts are captured as they are rendered.
 */
class FigureReadBackTest {

    @TempDir
    static Path dir;

    private static Map<String, XYChart> charts;
    private static List<Figure> figures;

    @BeforeAll
    static void renderAStressPlanWithReplicationsAndAStudyOfTwentyConfigurations() {
        ResultsFixture fixture = new ResultsFixture();
        for (int r = 0; r < 3; r++) {
            double noise = 1 + 0.02 * (r - 1);
            for (long requests : new long[] {1_000, 10_000, 100_000}) {
                fixture.row().requests(requests).scheduler("dynamic").gpus(1).replication(r).offered(200)
                        .throughput(20.6 * noise).goodput(1.0 * noise).saturated(9.7);
                fixture.row().requests(requests).scheduler("static").gpus(1).replication(r).offered(200)
                        .throughput(1.76 * noise).goodput(0.01 * noise).saturated(113);
                fixture.row().requests(requests).scheduler("multi_bin").k(4).gpus(16).replication(r).offered(200)
                        .served(199.65362981441373 * noise).e2eP95(4.2 * noise + requests / 1e6);
            }
            int[] gpus = {1, 2, 4, 8, 16, 32, 64, 100};
            double[] throughput = {20.6, 40.4, 77.8, 133.3, 199.6, 199.7, 199.7, 199.6};
            for (int i = 0; i < gpus.length; i++) {
                ResultsFixture.Row row = fixture.row().step(ResultsSchema.STEP_GPU_SCALING).scheduler("multi_bin").k(4)
                        .gpus(gpus[i]).replication(r).offered(200).throughput(throughput[i] * noise)
                        .goodput(throughput[i] * noise * (i < 4 ? 0.3 : 0.99))
                        .set("mean_batch_size", 200.0 / gpus[i]).set("kv_usage_mean", 0.7 / Math.sqrt(gpus[i]));
                if (i < 4) {
                    row.saturated(200 / throughput[i]);
                }
            }
            int[] ks = {1, 2, 4, 8};
            double[] goodput = {68.1, 80.3, 80.4, 78.2};
            for (int i = 0; i < ks.length; i++) {
                fixture.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("multi_bin").k(ks[i]).gpus(8)
                        .replication(r).offered(200).throughput(133 * noise)
                        .goodput(goodput[i] * noise * (1 + 0.01 * ((i + r) % 3 - 1)))
                        .set("ttft_p95_s", 2.0 - 0.1 * i);
            }
        }
        for (int c = 0; c < 20; c++) {
            for (int r = 0; r < 2; r++) {
                fixture.row().step("heavy").scheduler(c % 2 == 0 ? "multi_bin" : "dynamic").gpus(1 + c).replication(r)
                        .set("config_label", "configuration number " + (c + 1) + (c == 19 ? " on 100 GPUs" : ""))
                        .throughput(10 + c * 3.7 + r).goodput(1 + r * 2.5);
            }
        }
        fixture.write(dir, "comprehensive_stress_results_all_results.csv");
        ResultsFixture.writeRequests(dir, "step1-multi_bin-k4-g16-n1000-r0", 0.5, 1.0, 1.5, 4.0, 40.0);
        ResultsFixture.writeRequests(dir, "step1-dynamic-g1-n1000-r0", 50, 100, 200, 400);
        ResultsCsvLoader loader = new ResultsCsvLoader();
        Findings findings = new FindingsCalculator().calculate(loader.loadResults(dir));
        CapturingRenderer renderer = new CapturingRenderer(dir.resolve("figures"));
        figures = new StudyFigures(renderer).render(findings, loader.loadCompletedE2eByConfig(dir));
        charts = renderer.charts;
    }

    @Test
    void theFiguresOfEachStepAreMadeAndNoneIsDegenerate() {
        assertThat(figures).extracting(Figure::name).containsExactlyInAnyOrder(
                "step1_throughput_vs_requests", "step1_p95_e2e_vs_requests", "step1_latency_cdf",
                "step2_throughput_vs_gpus", "step2_resources_vs_gpus",
                "step3_change_vs_k",
                "heavy_throughput_by_configuration");
        charts.forEach((name, chart) -> {
            long xs = chart.getSeriesMap().values().stream().flatMapToDouble(s -> Arrays.stream(s.getXData()))
                    .distinct().count();
            assertThat(xs).as(name + ": distinct x values").isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void everyChartHasATitleAndAxisTitlesWithUnitsAndShortLegendEntries() {
        charts.forEach((name, chart) -> {
            assertThat(chart.getTitle()).as(name).isNotBlank();
            assertThat(chart.getYAxisTitle()).as(name + ": y title carries a unit").matches(".*\\(.+\\).*|Share.*");
            if (!name.endsWith("by_configuration")) {
                assertThat(chart.getXAxisTitle()).as(name).isNotBlank();
            }
            // the title and each legend entry (line sample + gap + text + paddings) must fit the chart's width
            var context = new java.awt.font.FontRenderContext(null, true, true);
            assertThat(chart.getStyler().getChartTitleFont().getStringBounds(chart.getTitle(), context).getWidth()
                    + 2 * chart.getStyler().getChartPadding()).as(name + ": title fits the width")
                    .isLessThanOrEqualTo(chart.getWidth());
            java.awt.Font font = chart.getStyler().getLegendFont();
            for (String series : chart.getSeriesMap().keySet()) {
                double width = chart.getStyler().getLegendSeriesLineLength() + 4 * chart.getStyler().getLegendPadding()
                        + font.getStringBounds(series, context).getWidth() + 2 * chart.getStyler().getChartPadding();
                assertThat(width).as(name + ": legend entry '" + series + "' fits the width").isLessThanOrEqualTo(chart.getWidth());
            }
        });
    }

    @Test
    void everyLadderValueAndEveryConfigurationHasItsLabel() {
        charts.forEach((name, chart) -> {
            Function<Double, String> label = chart.getStyler().getxAxisTickLabelsFormattingFunction();
            if (label == null) {
                return; // a numeric axis (the CDF's latency)
            }
            // XChart ticks a labelled axis at the data positions only while the axis has no explicit range
            assertThat(chart.getStyler().getXAxisMin()).as(name + ": no x min on a labelled axis").isNull();
            assertThat(chart.getStyler().getXAxisMax()).as(name + ": no x max on a labelled axis").isNull();
            double[] xs = chart.getSeriesMap().values().stream().flatMapToDouble(s -> Arrays.stream(s.getXData()))
                    .distinct().sorted().toArray();
            List<String> labels = new ArrayList<>();
            for (double x : xs) {
                labels.add(label.apply(x));
            }
            assertThat(labels).as(name + ": one non-empty, distinct label per x value").doesNotContain("")
                    .doesNotHaveDuplicates().hasSize(xs.length);
            assertThat(labels).as(name + ": no label prints a long fraction").noneMatch(l -> l.matches(".*\\d\\.\\d{4,}.*"));
            if (chart instanceof LadderChart ladder) {
                // painted, every ladder value has its label: XChart's ticks plus the ones the chart adds
                org.knowm.xchart.BitmapEncoder.getBufferedImage(chart);
                assertThat(ladder.drawnXLabels()).as(name + ": labels drawn").containsAll(labels);
            }
        });
        assertThat(labelsOf("heavy_throughput_by_configuration")).hasSize(20)
                .contains("configuration number 20 on 100 GPUs");
        assertThat(labelsOf("step2_throughput_vs_gpus")).containsExactly("1", "2", "4", "8", "16", "32", "64", "100");
        assertThat(labelsOf("step1_throughput_vs_requests")).containsExactly("1K", "10K", "100K");
    }

    @Test
    void axisRangesContainTheDataAndTheirErrorBars() {
        charts.forEach((name, chart) -> {
            Double min = chart.getStyler().getYAxisMin();
            Double max = chart.getStyler().getYAxisMax();
            for (XYSeries series : chart.getSeriesMap().values()) {
                double[] y = series.getYData();
                double[] bars = series.getExtraValues();
                for (int i = 0; i < y.length; i++) {
                    double bar = bars == null ? 0 : bars[i];
                    if (min != null) {
                        assertThat(y[i] - bar).as(name + ": " + series.getName()).isGreaterThanOrEqualTo(min);
                    }
                    if (max != null) {
                        assertThat(y[i] + bar).as(name + ": " + series.getName()).isLessThanOrEqualTo(max);
                    }
                    if (chart.getStyler().isYAxisLogarithmic()) {
                        assertThat(y[i]).as(name + ": log axis over positive data").isPositive();
                    }
                }
            }
            assertThat(chart.getStyler().isYAxisLogarithmic() || chart.getStyler().getYAxisDecimalPattern() != null)
                    .as(name + ": rounded y ticks").isTrue();
        });
    }

    @Test
    void replicationsDrawConfidenceIntervalsAsErrorBars() {
        XYSeries throughput = charts.get("step2_throughput_vs_gpus").getSeriesMap().get("throughput");
        assertThat(throughput.getExtraValues()).as("95 % CI half-widths").isNotNull();
        assertThat(Arrays.stream(throughput.getExtraValues()).boxed().toList()).allSatisfy(h -> assertThat(h).isPositive());
        assertThat(charts.get("step3_change_vs_k").getSeriesMap().get("goodput").getExtraValues())
                .as("paired CIs of the change against K = 1").isNotNull();
        assertThat(figures).allSatisfy(f -> assertThat(f.caption()).contains("error bars: 95 % CI"));
    }

    @Test
    void scalingIsLogLogWithTheOfferedLoadAndLatencyCdfsAreOnALogAxisWithoutSaturatedCells() {
        XYChart scaling = charts.get("step2_throughput_vs_gpus");
        assertThat(scaling.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(scaling.getXAxisTitle()).contains("log scale");
        assertThat(scaling.getSeriesMap()).containsKeys("offered load", "ideal scaling", "goodput (meets the SLA)");
        assertThat(scaling.getSeriesMap().get("offered load").getYData()).containsOnly(200.0);
        assertThat(charts.get("step1_throughput_vs_requests").getSeriesMap()).containsKey("offered load");
        XYChart cdf = charts.get("step1_latency_cdf");
        assertThat(cdf.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(cdf.getSeriesMap().keySet()).hasSize(1).allMatch(n -> n.startsWith("multi_bin"));
    }

    private static List<String> labelsOf(String name) {
        XYChart chart = charts.get(name);
        double[] xs = chart.getSeriesMap().values().stream().flatMapToDouble(s -> Arrays.stream(s.getXData()))
                .distinct().sorted().toArray();
        return Arrays.stream(xs).mapToObj(x -> chart.getStyler().getxAxisTickLabelsFormattingFunction().apply(x))
                .toList();
    }
}
