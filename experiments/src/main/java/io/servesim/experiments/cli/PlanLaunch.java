package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisResult;
import io.servesim.analysis.Analyzer;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.Shard;
import io.servesim.experiments.planfile.AnalysisChoice;
import io.servesim.experiments.planfile.PlanFile;
import io.servesim.experiments.planfile.PlanFileRun;
import io.servesim.experiments.report.PlanReport;
import io.servesim.experiments.report.PlanReports;
import io.servesim.experiments.scenario.Scenario;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Runs a plan file for {@code plan run} and {@code stress}: checks it, runs it, prints what it wrote, analyses it. */
final class PlanLaunch {
    private PlanLaunch() {
    }

    /**
     * @param title    how the summary lines start, e.g. "ServeSim plan schedulers-vs-load"
     * @param header   the first line printed (what the plan offers)
     * @param settings knobs of the command for config.json, after those of {@link PlanOptions}
     */
    static int run(CommandSpec spec, PlanFile plan, Set<String> only, PlanOptions options, FigureFlags figures,
                   String title, String header, Map<String, Object> settings) {
        Path dir = options.folder(plan.experiment());
        PlanFolder folder = new PlanFolder(dir);
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> all = new LinkedHashMap<>(options.settings(spec.commandLine().getParseResult().originalArgs()));
        all.putAll(settings);
        if (plan.base().hasNonNull("workload")) {   // else the axes give every cell its workload
            all.put("scenario", Scenario.fromTree(plan.base().deepCopy()));
        }
        PlanProgress progress = new PlanProgress(err, PlanProgress.mode(options.quiet));
        PlanRunner runner = options.runner(plan.experiment(), folder, progress);
        PlanFileRun run = new PlanFileRun(plan, only, folder, runner, all);
        run.validate();
        progress.setTotal(run.cellCount());
        PrintWriter out = spec.commandLine().getOut();
        out.println(header);
        out.flush();
        long start = System.nanoTime();
        PlanFileRun.Outcome outcome = run.execute();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runner.shard().partial()) {
            return shardFinished(out, folder, runner.shard(), outcome.cells(), seconds);
        }
        out.printf(Locale.ROOT, "%s: %d cells (%d simulated, %d from earlier records) in %.1f s%n", title,
                outcome.cells().size(), outcome.simulatedCells(), outcome.cells().size() - outcome.simulatedCells(), seconds);
        outcome.derived().forEach((what, how) -> out.println("  " + what + ": " + how));
        if (outcome.capacitySearches() > 0) {
            out.printf(Locale.ROOT, "  capacity under SLA: %d searches (%d simulated, %d from earlier records), one per"
                    + " configuration%n", outcome.capacitySearches(), outcome.simulatedSearches(),
                    outcome.capacitySearches() - outcome.simulatedSearches());
        }
        run.expansion().notRun().forEach(note -> out.println("  " + note));
        outcome.files().forEach(f -> out.println("  wrote " + f));
        for (AnalysisChoice table : plan.tables()) {
            PlanReports.byName(table.name()).write(new PlanReport.Input(out, folder, plan.experiment(),
                    outcome.cells(), run.expansion().notRun(), table.options()))
                    .forEach(f -> out.println("  wrote " + f));
        }
        if (!options.noAnalysis && plan.findings()) {
            AnalysisResult analysis = figures.analyzer().analyze(dir, plan.figureKinds());
            out.println("  analysis " + dir.resolve(Analyzer.ANALYSIS_JSON) + ", " + dir.resolve(Analyzer.REPORT_HTML)
                    + " (" + analysis.figures().size() + " figures)");
        }
        folder.markComplete();
        return 0;
    }

    /** Ends a shard's run of plan cells: see {@link #shardFinished(PrintWriter, PlanFolder, Shard, String)}. */
    static int shardFinished(PrintWriter out, PlanFolder folder, Shard shard, List<FinishedCell> cells, double seconds) {
        long simulated = cells.stream().filter(c -> !c.fromRecord()).count();
        return shardFinished(out, folder, shard, String.format(Locale.ROOT,
                "%d cells (%d simulated, %d from earlier records) in %.1f s", cells.size(), simulated,
                cells.size() - simulated, seconds));
    }

    /**
     * Ends a shard's run: its records are written and it writes no result file (they need every shard's records);
     * prints what it did ({@code summary}) and the way to the whole run's files.
     */
    static int shardFinished(PrintWriter out, PlanFolder folder, Shard shard, String summary) {
        out.println("ServeSim shard " + shard + ": " + summary);
        out.println("  records in " + folder.resolve("") + "; when all " + shard.count() + " shards have finished:"
                + " servesim merge --out DIR SHARD_FOLDER...");
        folder.markComplete();
        return 0;
    }
}
