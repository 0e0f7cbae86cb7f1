package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.analysis.folders.FolderKind;
import io.servesim.analysis.folders.RunAndCapacityAnalysis;
import io.servesim.experiments.plan.PlanFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code servesim analyze DIR...}: findings, figures and a report from results folders, without simulating. A folder
 * of result CSVs (stress, plan run, study) is analysed in place; folders of single runs ({@code run}) and capacity
 * searches ({@code capacity}) are analysed together — their latency distributions and capacity probes drawn side by
 * side — into the folder itself when it is the only one, else into {@code --out}.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Write findings, figures (and for result CSVs analysis.json and report.html) for results folders"
                + " of any kind: stress, plan run, study, run, capacity.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FigureFlags figures;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "DIR", description = "Results folders written by servesim"
            + " (any version, any command).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the analysis of several run or capacity folders"
            + " goes (default: results/analysis-<timestamp>; one such folder is analysed in place).")
    Path out;

    @Override
    public Integer call() {
        figures.options();
        List<Path> results = new ArrayList<>();
        List<Path> runs = new ArrayList<>();
        List<Path> capacities = new ArrayList<>();
        for (Path dir : dirs) {
            switch (FolderKind.of(dir)) {
                case RESULTS -> results.add(dir);
                case RUN -> runs.add(dir);
                case CAPACITY -> capacities.add(dir);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Path dir : results) {
            AnalysisResult result = figures.analyzer().analyze(dir);
            if (Files.exists(dir.resolve(PlanFolder.INCOMPLETE_MARKER))) {
                spec.commandLine().getErr().println("servesim: warning: " + dir + " is not finished ("
                        + PlanFolder.INCOMPLETE_MARKER + " is present): the findings cover only the rows written so far");
            }
            out.println("Analysed " + dir + ": " + result.figures().size() + " figures, "
                    + result.writtenFiles().size() + " files written");
            out.println("  " + dir.resolve(Analyzer.FINDINGS_MD));
            out.println("  " + dir.resolve(Analyzer.REPORT_HTML));
        }
        if (!runs.isEmpty() || !capacities.isEmpty()) {
            Path target = runs.size() + capacities.size() == 1 && this.out == null
                    ? (runs.isEmpty() ? capacities : runs).get(0)
                    : this.out != null ? this.out : ResultFolders.timestamped("analysis");
            RunAndCapacityAnalysis.Written written = new RunAndCapacityAnalysis(figures.options())
                    .analyze(runs, capacities, target);
            out.println("Analysed " + runs.size() + " run and " + capacities.size() + " capacity folder"
                    + (capacities.size() == 1 ? "" : "s") + ": " + written.figures().size() + " figures");
            out.println("  " + written.findings());
        }
        return 0;
    }
}
