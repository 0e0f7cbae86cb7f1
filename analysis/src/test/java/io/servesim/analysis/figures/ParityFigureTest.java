package io.servesim.analysis.figures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

import static org.assertj.core.api.Assertions.assertThat;

/** The parity plot, read back: axes, ranges, series, and what it leaves out. */
class ParityFigureTest {

    static final ParityFigure.Series TTFT = new ParityFigure.Series("TTFT mean",
            new double[] {100, 200, 400}, new double[] {120, 180, 400});
    static final ParityFigure.Series TPOT = new ParityFigure.Series("TPOT mean",
            new double[] {10, 20, Double.NaN}, new double[] {8, 0, 30});

    @Test
    void bothAxesAreLogarithmicWithTheSameRangeAndTheIdentityLine() {
        ParityFigure.Chart parity = ParityFigure.chart(FigureOptions.DEFAULT, "ServeSim vs bench", "ms", List.of(TTFT, TPOT)).orElseThrow();
        XYChart chart = parity.chart();

        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        // Smallest positive value 8, largest 400, padded by 1.5 on both sides: [5.33, 600] on both axes.
        assertThat(chart.getStyler().getXAxisMin()).isEqualTo(8 / 1.5);
        assertThat(chart.getStyler().getXAxisMax()).isEqualTo(600.0);
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(chart.getStyler().getXAxisMin());
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(chart.getStyler().getXAxisMax());
        assertThat(chart.getXAxisTitle()).isEqualTo("Measured (ms, log scale)");
        assertThat(chart.getYAxisTitle()).isEqualTo("Predicted (ms, log scale)");
        assertThat(chart.getSeriesMap()).containsOnlyKeys(ParityFigure.IDENTITY, "TTFT mean (3)", "TPOT mean (1)");
        assertThat(chart.getSeriesMap().get("TTFT mean (3)").getXYSeriesRenderStyle()).isEqualTo(XYSeriesRenderStyle.Scatter);
        assertThat(chart.getSeriesMap().get(ParityFigure.IDENTITY).getXData()).containsExactly(8 / 1.5, 600.0);
        // TPOT's (20, 0) and (NaN, 30) cannot sit on log axes.
        assertThat(parity.plotted()).isEqualTo(4);
        assertThat(parity.leftOut()).isEqualTo(2);
        assertThat(chart.getStyler().getXAxisLabelRotation()).as("decades up to 1,000 fit side by side").isZero();
    }

    @Test
    void decadeLabelsFromTenThousandOnAreSlantedSoTheyDoNotRunTogether() {
        // 100 to 300,000 ms: the x axis runs to 450,000 and labels 10,000 and 100,000, too wide for their decades
        ParityFigure.Series wide = new ParityFigure.Series("TTFT mean", new double[] {100, 300_000},
                new double[] {150, 200_000});
        XYChart chart = ParityFigure.chart(FigureOptions.DEFAULT, "ServeSim vs bench", "ms", List.of(wide))
                .orElseThrow().chart();
        assertThat(chart.getStyler().getXAxisLabelRotation()).isEqualTo(45);
    }

    @Test
    void nothingPositiveMeansNoFigure(@TempDir Path dir) {
        ParityFigure.Series empty = new ParityFigure.Series("TTFT mean", new double[] {0}, new double[] {5});
        assertThat(ParityFigure.chart(FigureOptions.DEFAULT, "t", "ms", List.of(empty))).isEmpty();
        assertThat(ParityFigure.render(new FigureRenderer(dir.resolve("figures")), "validate", "parity", "t", "ms", List.of(empty)))
                .isEmpty();
        assertThat(dir.resolve("figures")).doesNotExist();
    }

    @Test
    void rendersAPngAtThreeHundredDpiAndAnSvg(@TempDir Path dir) throws IOException {
        Optional<Figure> figure = ParityFigure.render(new FigureRenderer(dir.resolve("figures")), "validate",
                "parity", "ServeSim vs bench", "ms", List.of(TTFT, TPOT));

        assertThat(figure).isPresent();
        assertThat(figure.get().caption()).contains("4 pairs").contains("2 non-positive pairs left out");
        BufferedImage image = ImageIO.read(dir.resolve(figure.get().png()).toFile());
        // a square of one column, 3.5 in = 252 pt, at 300 dpi: 252 · 300 / 72 = 1050 px
        assertThat(image.getWidth()).isEqualTo(FigureOptions.DEFAULT.widthPoints() * 300 / 72);
        assertThat(image.getHeight()).isEqualTo(image.getWidth());
        assertThat(Files.size(dir.resolve(figure.get().svg()))).isGreaterThan(2_000);
    }
}
