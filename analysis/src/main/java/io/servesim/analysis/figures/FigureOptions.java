package io.servesim.analysis.figures;

/**
 * How figures are drawn: the printed width in inches (a single column of a two-column paper is about 3.3 in, a
 * full page width about 7 in), the base font size in points at that width, and whether a PDF is written besides
 * the PNG (300 dpi) and the SVG. Text is drawn at its stated size when the figure is printed at its width.
 *
 * @param widthInches figure width in inches, 2 to 12
 * @param fontSizePt  base font size in points (tick labels and legend; titles are a little larger), 5 to 20
 * @param pdf         also write {@code <name>.pdf}
 */
public record FigureOptions(double widthInches, double fontSizePt, boolean pdf) {

    /** A single column: 3.5 in wide, 8 pt text, PNG and SVG. */
    public static final FigureOptions DEFAULT = new FigureOptions(3.5, 8, false);

    public FigureOptions {
        if (!(widthInches >= 2 && widthInches <= 12)) {
            throw new IllegalArgumentException("figure width must be 2 to 12 inches, got " + widthInches);
        }
        if (!(fontSizePt >= 5 && fontSizePt <= 20)) {
            throw new IllegalArgumentException("font size must be 5 to 20 pt, got " + fontSizePt);
        }
    }

    /** Width in points (1/72 in), the unit of chart sizes. */
    public int widthPoints() {
        return (int) Math.round(widthInches * 72);
    }
}
