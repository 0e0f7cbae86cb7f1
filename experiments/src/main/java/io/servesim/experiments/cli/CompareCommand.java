package io.servesim.experiments.cli;

import io.servesim.analysis.figures.DifferenceFigure;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.experiments.compare.PairedComparison;
import io.servesim.experiments.compare.PairedComparison.Difference;
import io.servesim.experiments.compare.PairedComparison.Metric;
import io.servesim.experiments.plan.Arms;
import io.servesim.experiments.plan.Arms.Arm;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.sweep.LoadDesign;
import io.servesim.experiments.sweep.RateLadder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code servesim compare --config S.yaml --set scheduler.type=continuous,dynamic,multi_bin [--replications N]
 * [--rate R]}: every arm serves the same requests in each replication (common random numbers); the paired
 * differences of goodput, SLA attainment and latency percentiles with 95 % confidence intervals
 * ({@link PairedComparison}), a verdict per pair on stdout, {@code compare_results.csv} (one row per cell),
 * {@code compare_differences.csv} and figures of the goodput and p99 TTFT differences.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare configurations on the same requests (common random numbers): paired differences with"
                + " 95 %% confidence intervals, goodput and SLA attainment first, then latencies.",
            "Example: servesim compare --config docs/examples/scenario.yaml"
                + " --set scheduler.type=continuous,dynamic,multi_bin --replications 5 --rate 14"})
public final class CompareCommand implements Callable<Integer> {
    static final String EXPERIMENT = "compare";
    static final String RESULTS_FILE = "compare_results.csv";
    static final String DIFFERENCES_FILE = "compare_differences.csv";
    static final int DEFAULT_REPLICATIONS = 5;
    static final List<String> DIFFERENCE_COLUMNS = List.of("arm_a", "arm_b", "metric", "column", "unit", "mean_a",
            "mean_b", "difference", "ci_low", "ci_high", "replications", "significant", "better");
    /** The metrics drawn, by column. */
    static final List<String> DRAWN = List.of("goodput_rps", "ttft_p99_s");

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", paramLabel = "R",
            description = "Offered arrival rate in req/s for every arm (default: the scenario's own).")
    Double rate;

    @Mixin
    PlanOptions options;

    @Mixin
    FigureFlags figures;

    @Override
    public Integer call() {
        options.check();
        if (options.config == null) {
            throw new UserInputException("--config FILE is required: the scenario whose configurations are compared");
        }
        int replications = options.replications != null ? options.replications : DEFAULT_REPLICATIONS;
        if (replications < 2) {
            throw new UserInputException("--replications must be >= 2 for a confidence interval, got " + replications);
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            throw new UserInputException("--rate must be > 0 req/s, got " + rate);
        }
        figures.options();
        Arms arms = Arms.parse(options.overrides, "base");
        if (arms.arms().size() < 2) {
            throw new UserInputException("compare needs at least two arms: give an axis, e.g."
                    + " --set scheduler.type=continuous,dynamic,multi_bin");
        }
        double rateRps = rate != null ? rate : LoadDesign.offeredRateRps(
                arms.template(Optional.of(options.config), arms.arms().get(0), "stress").scenario());
        LoadDesign design = LoadDesign.of(EXPERIMENT, Optional.of(options.config), arms,
                new RateLadder(List.of(rateRps)), replications, options.seed);

        Path dir = options.folder(EXPERIMENT);
        PlanFolder folder = new PlanFolder(dir);
        PlanProgress progress = new PlanProgress(spec.commandLine().getErr(), PlanProgress.mode(options.quiet));
        PlanRunner runner = options.runner(EXPERIMENT, folder, progress);
        runner.validate(design.cells());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", EXPERIMENT);
        config.put("rate_rps", rateRps);
        config.put("arms", arms.arms());
        config.put("common_set", arms.common());
        config.put("replications", replications);
        config.put("plan_seed", design.planSeed());
        config.put("cells", design.cells().stream().map(c -> c.id()).toList());
        config.putAll(options.settings(spec.commandLine().getParseResult().originalArgs()));
        folder.writeConfig(config);
        folder.markIncomplete("This folder is not finished: the comparison writing it was interrupted, failed or is"
                + " still running. Resume it with: "
                + PlanOptions.commandLine(spec.commandLine().getParseResult().originalArgs()) + " --resume " + dir);

        long start = System.nanoTime();
        List<FinishedCell> cells = runner.run(design.cells());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runner.shard().partial()) {
            return PlanLaunch.shardFinished(spec.commandLine().getOut(), folder, runner.shard(), cells, seconds);
        }
        folder.writeResults(RESULTS_FILE, cells);
        folder.writeTimings("compare_timings.csv", cells.stream().map(FinishedCell::row).toList());
        List<String> labels = arms.arms().stream().map(Arm::label).toList();
        List<Difference> differences = PairedComparison.of(labels, cells);
        ResultsCsv.write(dir.resolve(DIFFERENCES_FILE), DIFFERENCE_COLUMNS,
                differences.stream().map(CompareCommand::row).toList());

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "ServeSim compare: %d arms x %d replications at %s req/s, same requests in every arm"
                + " (%d cells in %.1f s)%n", labels.size(), replications, ResultRow.text(rateRps), cells.size(), seconds);
        printMeans(out, labels, differences);
        out.println("  verdict (95 % confidence intervals of paired differences)");
        for (Difference d : differences) {
            if (d.metric().higherIsBetter()) {
                out.println("    " + d.verdict());
            }
        }
        out.println("  latencies (significant differences only)");
        int notSignificant = 0;
        for (Difference d : differences) {
            if (!d.metric().higherIsBetter()) {
                if (d.significant()) {
                    out.println("    " + d.verdict());
                } else {
                    notSignificant++;
                }
            }
        }
        if (notSignificant > 0) {
            out.printf(Locale.ROOT, "    no significant difference in the other %d latency comparisons (see %s)%n",
                    notSignificant, DIFFERENCES_FILE);
        }
        out.println("  wrote " + dir.resolve(RESULTS_FILE) + ", " + dir.resolve(DIFFERENCES_FILE));
        if (!options.noAnalysis) {
            FigureRenderer renderer = new FigureRenderer(dir.resolve(FigureRenderer.FOLDER), figures.options());
            for (String column : DRAWN) {
                List<Difference> drawn = differences.stream().filter(d -> d.metric().column().equals(column)).toList();
                Metric metric = drawn.get(0).metric();
                List<DifferenceFigure.Pair> pairs = drawn.stream().map(d -> new DifferenceFigure.Pair(
                        d.armA() + " − " + d.armB(), d.difference().mean(), d.difference().hasInterval() ? d.halfWidth() : 0))
                        .toList();
                String name = "compare_" + column.replace("_s", "").replace("_rps", "");
                renderer.render(DifferenceFigure.chart(renderer.options(), metric.name(), metric.unit(), pairs),
                        EXPERIMENT, name, "Paired differences A − B in " + metric.name() + " with 95 % confidence"
                                + " intervals over " + replications + " replications at " + ResultRow.text(rateRps)
                                + " req/s; a bar crossing the dotted zero line is no significant difference.");
                out.println("  figure " + dir.resolve(FigureRenderer.FOLDER).resolve(name + ".png"));
            }
        }
        folder.markComplete();
        return 0;
    }

    private static void printMeans(PrintWriter out, List<String> labels, List<Difference> differences) {
        int width = Math.max(12, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.printf(Locale.ROOT, "  %-" + width + "s", "mean");
        PairedComparison.METRICS.forEach(m -> out.printf(Locale.ROOT, " %11s", shortName(m)));
        out.println();
        for (String label : labels) {
            out.printf(Locale.ROOT, "  %-" + width + "s", label);
            for (Metric m : PairedComparison.METRICS) {
                double mean = meanOf(label, m, differences);
                out.printf(Locale.ROOT, " %11s", PairedComparison.number(mean));
            }
            out.println();
        }
    }

    private static String shortName(Metric m) {
        return m.column().equals("goodput_fraction") ? "SLA %" : m.column().equals("goodput_rps") ? "goodput/s"
                : m.name().replace(" latency", "") + " s";
    }

    private static double meanOf(String label, Metric metric, List<Difference> differences) {
        for (Difference d : differences) {
            if (d.metric().equals(metric)) {
                if (d.armA().equals(label)) {
                    return d.meanA();
                }
                if (d.armB().equals(label)) {
                    return d.meanB();
                }
            }
        }
        return Double.NaN;
    }

    private static List<String> row(Difference d) {
        List<String> row = new ArrayList<>(DIFFERENCE_COLUMNS.size());
        row.add(d.armA());
        row.add(d.armB());
        row.add(d.metric().name());
        row.add(d.metric().column());
        row.add(d.metric().unit());
        row.add(ResultRow.text(d.meanA()));
        row.add(ResultRow.text(d.meanB()));
        row.add(ResultRow.text(d.difference().mean()));
        row.add(ResultRow.text(d.difference().ciLow()));
        row.add(ResultRow.text(d.difference().ciHigh()));
        row.add(ResultRow.text(d.difference().replications()));
        row.add(ResultRow.text(d.significant()));
        row.add(d.better() == null ? "" : d.better());
        return row;
    }
}
