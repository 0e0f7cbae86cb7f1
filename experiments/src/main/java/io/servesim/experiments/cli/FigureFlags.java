package io.servesim.experiments.cli;

import io.servesim.analysis.Analyzer;
import io.servesim.analysis.figures.FigureOptions;
import picocli.CommandLine.Option;

/** The flags that shape the analysis's figures, shared by {@code analyze}, {@code stress} and {@code study}. */
public final class FigureFlags {
    @Option(names = "--figure-width", paramLabel = "INCHES", description = "Printed width of each figure in inches"
            + " (default 3.5, one column of a two-column paper; 7 for a full page width).")
    Double widthInches;

    @Option(names = "--font-size", paramLabel = "PT", description = "Font size of the figures in points at that width"
            + " (default 8).")
    Double fontSizePt;

    @Option(names = "--pdf", description = "Also write each figure as PDF (besides PNG at 300 dpi and SVG).")
    boolean pdf;

    /** The figure options; a width or font size out of range is a usage error. */
    FigureOptions options() {
        try {
            return new FigureOptions(widthInches != null ? widthInches : FigureOptions.DEFAULT.widthInches(),
                    fontSizePt != null ? fontSizePt : FigureOptions.DEFAULT.fontSizePt(), pdf);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--figure-width / --font-size: " + e.getMessage());
        }
    }

    /** An analyzer that names this ServeSim in the findings and draws figures with these options. */
    Analyzer analyzer() {
        return new Analyzer(ServeSimVersion.current().text(), options());
    }
}
