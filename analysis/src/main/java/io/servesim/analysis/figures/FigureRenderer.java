package io.servesim.analysis.figures;

import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import io.servesim.analysis.output.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a chart as PNG at {@value #DPI} dpi, as SVG and, when asked, as PDF into a {@code figures/} folder, through
 * {@link AtomicFiles}: a figure's files land together, or with the other files of the batch the renderer was given.
 * The PNG is drawn as XChart draws a bitmap at a given resolution (the chart painted at DPI/72 scale, the
 * resolution in the PNG's pHYs chunk) but encoded to a stream, since XChart writes that bitmap only to a file name.
 * The vector files come from VectorGraphics2D's processors; XChart draws text as glyph outlines, so their text is
 * shapes, not selectable text.
 */
public class FigureRenderer {

    public static final int DPI = 300;
    public static final String FOLDER = "figures";
    private static final double METRES_PER_INCH = 0.0254;
    private static final String PNG_METADATA = "javax_imageio_png_1.0";

    private final Path figuresDir;
    private final FigureOptions options;
    private final AtomicFiles.Batch batch;

    /** @param figuresDir the folder the files are written to (created when missing) */
    public FigureRenderer(Path figuresDir) {
        this(figuresDir, FigureOptions.DEFAULT);
    }

    /** A renderer whose every figure lands on its own, as soon as it is drawn. */
    public FigureRenderer(Path figuresDir, FigureOptions options) {
        this(figuresDir, options, null);
    }

    /** A renderer whose figures land with the other files of {@code batch}, when it is committed. */
    public FigureRenderer(Path figuresDir, FigureOptions options, AtomicFiles.Batch batch) {
        this.figuresDir = figuresDir;
        this.options = options;
        this.batch = batch;
    }

    public Path figuresDir() {
        return figuresDir;
    }

    public FigureOptions options() {
        return options;
    }

    /** Writes {@code <name>.png}, {@code <name>.svg} (and {@code <name>.pdf}) and describes them. */
    public Figure render(Chart<?, ?> chart, String step, String name, String caption) {
        if (batch != null) {
            write(batch, chart, name);
        } else {
            try (AtomicFiles.Batch own = AtomicFiles.batch()) {
                write(own, chart, name);
                own.commit();
            }
        }
        return new Figure(step, name, chart.getTitle(), caption, FOLDER + "/" + name + ".png", FOLDER + "/" + name + ".svg");
    }

    private void write(AtomicFiles.Batch files, Chart<?, ?> chart, String name) {
        files.write(figuresDir.resolve(name + ".png"), out -> png(chart, out));
        files.write(figuresDir.resolve(name + ".svg"), out -> vector(chart, "svg", out));
        if (options.pdf()) {
            files.write(figuresDir.resolve(name + ".pdf"), out -> vector(chart, "pdf", out));
        }
    }

    private static void png(Chart<?, ?> chart, OutputStream out) throws IOException {
        double scale = DPI / 72.0;
        BufferedImage image = new BufferedImage((int) (chart.getWidth() * scale), (int) (chart.getHeight() * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.scale(scale, scale);
        chart.paint(graphics, chart.getWidth(), chart.getHeight());
        graphics.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
            metadata.mergeTree(PNG_METADATA, resolution());
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * The PNG's pHYs chunk: {@value #DPI} pixels per inch, in the PNG's unit, pixels per metre (given in the PNG's
     * own metadata format: the JDK's PNG writer reads the standard format's pixel size inverted).
     */
    private static IIOMetadataNode resolution() {
        String perMetre = Long.toString(Math.round(DPI / METRES_PER_INCH));
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", perMetre);
        phys.setAttribute("pixelsPerUnitYAxis", perMetre);
        phys.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode(PNG_METADATA);
        root.appendChild(phys);
        return root;
    }

    private static void vector(Chart<?, ?> chart, String format, OutputStream out) throws IOException {
        VectorGraphics2D graphics = new VectorGraphics2D();
        chart.paint(graphics, chart.getWidth(), chart.getHeight());
        Processor processor = Processors.get(format);
        processor.getDocument(graphics.getCommands(), new PageSize(0.0, 0.0, chart.getWidth(), chart.getHeight()))
                .writeTo(out);
    }
}
