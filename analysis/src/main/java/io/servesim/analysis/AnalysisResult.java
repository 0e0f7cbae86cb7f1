package io.servesim.analysis;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.findings.Findings;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Analyzer#analyze} computed and wrote: the findings, the figures made, and the
 * files written into the results folder (absolute paths).
 */
public record AnalysisResult(Path resultsDir, Findings findings, List<Figure> figures, List<Path> writtenFiles) {

    public AnalysisResult {
        figures = List.copyOf(figures);
        writtenFiles = List.copyOf(writtenFiles);
    }
}
