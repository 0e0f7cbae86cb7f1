package io.servesim.analysis.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** The time-series figures of a run, read back: round x ticks whatever the sampling grid, and what is drawn. */
class TimeSeriesFiguresTest {

    @TempDir
    Path dir;

    /** A run of two replicas sampled every {@code interval} seconds, {@code samples} times. */
    private Path timeSeries(double interval, int samples) throws IOException {
        StringBuilder csv = new StringBuilder(
                "replica,time_s,queue_length,running,kv_blocks_used,kv_blocks_total,iterations,tokens,"
                        + "tokens_per_iteration,busy_fraction\n");
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < samples; i++) {
                csv.append(String.format(Locale.ROOT, "%d,%.4f,%d,%d,%d,1000,%d,%d,%.1f,%.2f%n", r, i * interval,
                        i % 7, 10 + i % 3, 100 + i, 5, 500, 100.0, 0.9));
            }
        }
        Path file = dir.resolve("timeseries.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void ticksTheTimeAxisAtRoundNumbersNotAtEveryKthSampleOfTheGrid() throws IOException {
        CapturingRenderer renderer = new CapturingRenderer(dir.resolve("figures"));
        List<Path> written = TimeSeriesFigures.draw(timeSeries(3.4, 104), renderer);

        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("timeseries_requests.png", "timeseries_tokens.png", "timeseries_usage.png");
        for (Map.Entry<String, XYChart> e : renderer.charts.entrySet()) {
            XYChart chart = e.getValue();
            BitmapEncoder.getBufferedImage(chart);
            List<String> labels = ((LadderChart) chart).drawnXLabels();
            // the grid of 3.4 s spans 350 s: XChart alone labels 0, 34, 68, …; round steps are 1, 2 or 5 × 10ⁿ
            assertThat(labels).as(e.getKey()).hasSizeGreaterThanOrEqualTo(3);
            double step = Double.parseDouble(labels.get(1).replace(",", ""))
                    - Double.parseDouble(labels.get(0).replace(",", ""));
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
            assertThat(mantissa).as(e.getKey() + ": tick step " + step + " of " + labels)
                    .isIn(1.0, 2.0, 2.5, 5.0);
            for (String label : labels) {
                assertThat(Double.parseDouble(label.replace(",", "")) % step).as(e.getKey() + ": " + label)
                        .isZero();
            }
            // the off-grid point draws nothing and has no legend entry
            assertThat(chart.getSeriesMap().get(ChartStyle.OFF_GRID).isShowInLegend()).isFalse();
            assertThat(chart.getSeriesMap().get(ChartStyle.OFF_GRID).getYData()).containsOnly(Double.NaN);
        }
        // two replicas: one line per replica and quantity, named by replica
        assertThat(renderer.charts.get("timeseries_requests").getSeriesMap().keySet()).containsExactly(
                "waiting, replica 0", "waiting, replica 1", "running, replica 0", "running, replica 1",
                ChartStyle.OFF_GRID);
    }

    @Test
    void aSeriesOfOneSampleIsNotDrawn() throws IOException {
        assertThat(TimeSeriesFigures.draw(timeSeries(3.4, 1), new FigureRenderer(dir.resolve("figures")))).isEmpty();
    }
}
