package io.servesim.analysis;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.figures.FigureOptions;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.figures.StudyFigures;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.FindingsCalculator;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.analysis.report.AnalysisJson;
import io.servesim.analysis.report.FindingsDocument;
import io.servesim.analysis.report.FindingsNarrative;
import io.servesim.analysis.report.HtmlReportRenderer;
import io.servesim.analysis.report.MarkdownRenderer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of the analysis: turns a results folder into findings and figures, without running
 * a simulation and without engine types (it reads only the CSV/JSON schema).
 *
 * <p>{@link #analyze} writes into the folder {@value #ANALYSIS_JSON}, {@value #FINDINGS_MD},
 * {@value #REPORT_HTML} and {@code figures/<name>.png|.svg}; for a folder of the 3-step stress plan
 * it also writes {@value #STRESS_ANALYSIS_JSON} with the same content as {@value #ANALYSIS_JSON}.
 * Outputs are written as one {@link AtomicFiles.Batch}: they land only when all were written, and the figures
 * folder then holds this analysis's figures only. User mistakes raise
 * {@link AnalysisException} with a one-line message naming the file and the column or the fix.
 */
public final class Analyzer {

    public static final String ANALYSIS_JSON = "analysis.json";
    public static final String FINDINGS_MD = "findings.md";
    public static final String REPORT_HTML = "report.html";
    public static final String STRESS_ANALYSIS_JSON = ResultsSchema.STRESS_PREFIX + "_analysis.json";

    private final ResultsCsvLoader loader = new ResultsCsvLoader();
    private final FindingsCalculator calculator = new FindingsCalculator();
    private final String analysedBy;
    private final FigureOptions figureOptions;

    /** An analyzer that does not say which ServeSim it is (the findings then print "not recorded"). */
    public Analyzer() {
        this(null, FigureOptions.DEFAULT);
    }

    /**
     * @param analysedBy    the ServeSim release and commit running the analysis, as the findings print it
     * @param figureOptions width, font size and vector formats of the figures
     */
    public Analyzer(String analysedBy, FigureOptions figureOptions) {
        this.analysedBy = analysedBy;
        this.figureOptions = figureOptions;
    }

    /** Computes the findings of a results folder without writing anything. */
    public Findings findings(Path resultsDir) {
        return calculator.calculate(loader.loadResults(resultsDir), analysedBy);
    }

    /** Computes the findings and figures of a results folder and writes them into it. */
    public AnalysisResult analyze(Path resultsDir) {
        return analyze(resultsDir, Set.copyOf(StudyFigures.KINDS));
    }

    /**
     * Computes the findings and the {@code figureKinds} of {@link StudyFigures#KINDS} of a results folder and writes
     * them into it (the findings list the kinds not chosen as not drawn).
     */
    public AnalysisResult analyze(Path resultsDir, Set<String> figureKinds) {
        Findings findings = findings(resultsDir);
        Map<String, double[]> latencies = loader.loadCompletedE2eByConfig(resultsDir);
        try (AtomicFiles.Batch output = AtomicFiles.batch()) {
            Path figuresDir = resultsDir.resolve(FigureRenderer.FOLDER);
            output.replaceFolder(figuresDir);
            StudyFigures studyFigures = new StudyFigures(new FigureRenderer(figuresDir, figureOptions, output),
                    figureKinds);
            List<Figure> figures = studyFigures.render(findings, latencies);
            String json = new AnalysisJson().write(findings, figures);
            FindingsDocument document = new FindingsNarrative().narrate(findings, figures, studyFigures.omitted());
            output.writeString(resultsDir.resolve(ANALYSIS_JSON), json);
            if (findings.stressPlan()) {
                output.writeString(resultsDir.resolve(STRESS_ANALYSIS_JSON), json);
            }
            output.writeString(resultsDir.resolve(FINDINGS_MD), new MarkdownRenderer().render(document, figures));
            output.writeString(resultsDir.resolve(REPORT_HTML), new HtmlReportRenderer().render(document, figures));
            return new AnalysisResult(resultsDir, findings, figures, output.commit());
        } catch (UncheckedIOException e) {
            throw new AnalysisException(resultsDir + ": cannot write the analysis outputs (" + e.getMessage()
                    + "); check that the folder is writable and has free space", e);
        }
    }
}
