package io.servesim.analysis.figures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes a chart as PNG at {@value #DPI} dpi and as SVG into a {@code figures/} folder. */
public final class FigureRenderer {

    public static final int DPI = 300;
    public static final String FOLDER = "figures";

    private final Path figuresDir;

    /** @param figuresDir the folder the files are written to (created when missing) */
    public FigureRenderer(Path figuresDir) {
        this.figuresDir = figuresDir;
    }

    /** Writes {@code <name>.png} and {@code <name>.svg} and describes them. */
    public Figure render(Chart<?, ?> chart, String name, String caption) {
        try {
            Files.createDirectories(figuresDir);
            BitmapEncoder.saveBitmapWithDPI(chart, figuresDir.resolve(name + ".png").toString(),
                    BitmapEncoder.BitmapFormat.PNG, DPI);
            VectorGraphicsEncoder.saveVectorGraphic(chart, figuresDir.resolve(name + ".svg").toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + name + " to " + figuresDir, e);
        }
        return new Figure(name, chart.getTitle(), caption, FOLDER + "/" + name + ".png", FOLDER + "/" + name + ".svg");
    }
}
