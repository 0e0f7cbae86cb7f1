package io.servesim.analysis.figures;

import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a chart as PNG at {@value #DPI} dpi, as SVG and, when asked, as PDF into a {@code figures/} folder. The
 * vector files come from VectorGraphics2D's processors; XChart draws text as glyph outlines, so their text is
 * shapes, not selectable text.
 */
public class FigureRenderer {

    public static final int DPI = 300;
    public static final String FOLDER = "figures";

    private final Path figuresDir;
    private final FigureOptions options;

    /** @param figuresDir the folder the files are written to (created when missing) */
    public FigureRenderer(Path figuresDir) {
        this(figuresDir, FigureOptions.DEFAULT);
    }

    public FigureRenderer(Path figuresDir, FigureOptions options) {
        this.figuresDir = figuresDir;
        this.options = options;
    }

    public Path figuresDir() {
        return figuresDir;
    }

    public FigureOptions options() {
        return options;
    }

    /** Writes {@code <name>.png}, {@code <name>.svg} (and {@code <name>.pdf}) and describes them. */
    public Figure render(Chart<?, ?> chart, String step, String name, String caption) {
        try {
            Files.createDirectories(figuresDir);
            BitmapEncoder.saveBitmapWithDPI(chart, figuresDir.resolve(name + ".png").toString(),
                    BitmapEncoder.BitmapFormat.PNG, DPI);
            vector(chart, "svg", figuresDir.resolve(name + ".svg"));
            if (options.pdf()) {
                vector(chart, "pdf", figuresDir.resolve(name + ".pdf"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + name + " to " + figuresDir, e);
        }
        return new Figure(step, name, chart.getTitle(), caption, FOLDER + "/" + name + ".png", FOLDER + "/" + name + ".svg");
    }

    private static void vector(Chart<?, ?> chart, String format, Path file) throws IOException {
        VectorGraphics2D graphics = new VectorGraphics2D();
        chart.paint(graphics, chart.getWidth(), chart.getHeight());
        Processor processor = Processors.get(format);
        try (OutputStream out = Files.newOutputStream(file)) {
            processor.getDocument(graphics.getCommands(), new PageSize(0.0, 0.0, chart.getWidth(), chart.getHeight()))
                    .writeTo(out);
        }
    }
}
