package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.experiments.plan.PlanFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code servesim analyze DIR}: findings, figures and a report from a results folder, without simulating. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Write analysis.json, findings.md, figures/ and report.html for a results folder.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FigureFlags figures;

    @Parameters(index = "0", paramLabel = "DIR", description = "A results folder written by servesim (any version).")
    Path dir;

    @Override
    public Integer call() {
        AnalysisResult result = figures.analyzer().analyze(dir);
        var out = spec.commandLine().getOut();
        if (Files.exists(dir.resolve(PlanFolder.INCOMPLETE_MARKER))) {
            spec.commandLine().getErr().println("servesim: warning: " + dir + " is not finished (" + PlanFolder.INCOMPLETE_MARKER
                    + " is present): the findings cover only the rows written so far");
        }
        out.println("Analysed " + dir + ": " + result.figures().size() + " figures, "
                + result.writtenFiles().size() + " files written");
        out.println("  " + dir.resolve(Analyzer.FINDINGS_MD));
        out.println("  " + dir.resolve(Analyzer.REPORT_HTML));
        return 0;
    }
}
