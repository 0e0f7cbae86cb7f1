package io.servesim.experiments.cli;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.figures.LoadCurves;
import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.plan.Arms;
import io.servesim.experiments.plan.CapacityRecord;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.ResultRow;
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
 * {@code servesim sweep --config S.yaml --rates 2:40:2 [--set key=v1,v2 ...]}: every configuration at every offered
 * rate, in one JVM on the plan runner (cells in parallel, resumable), with each configuration's capacity under its
 * SLA searched as {@code servesim capacity} would. Writes {@code sweep_results.csv} (one row per cell, the capacity
 * columns appended), {@code sweep_timings.csv}, {@code config.json} and the latency–throughput and SLO-attainment
 * curves in {@code figures/}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a ladder of offered rates for one or more configurations and draw latency-throughput and"
                + " SLO-attainment curves with each configuration's capacity marked.",
            "Example: servesim sweep --config docs/examples/scenario.yaml --rates 2:40:2"
                + " --set scheduler.type=continuous,multi_bin"})
public final class SweepCommand implements Callable<Integer> {
    static final String EXPERIMENT = "sweep";
    static final String RESULTS_FILE = "sweep_results.csv";

    @Spec
    CommandSpec spec;

    @Option(names = "--rates", required = true, paramLabel = "START:STOP:STEP|LIST",
            description = "Offered arrival rates in req/s: 2:40:2 (2, 4, ..., 40) or a list 1,2,5,10.")
    String rates;

    @Option(names = "--no-capacity", description = "Do not search each configuration's capacity under its SLA.")
    boolean noCapacity;

    @Option(names = "--target", paramLabel = "F",
            description = "Capacity search: goodput fraction a rate must reach (default ${DEFAULT-VALUE}).")
    double target = CapacityOptions.DEFAULT_TARGET;

    @Option(names = "--tolerance", paramLabel = "F",
            description = "Capacity search: relative width of the final bracket (default ${DEFAULT-VALUE}).")
    double tolerance = CapacityOptions.DEFAULT_TOLERANCE;

    @Option(names = "--max-probes", paramLabel = "N",
            description = "Capacity search: most simulations per configuration (default ${DEFAULT-VALUE}).")
    int maxProbes = CapacityOptions.DEFAULT_MAX_PROBES;

    @Mixin
    PlanOptions options;

    @Mixin
    FigureFlags figures;

    @Override
    public Integer call() {
        options.check();
        if (options.config == null) {
            throw new UserInputException("--config FILE is required: the scenario whose configurations are swept");
        }
        figures.options();
        RateLadder ladder = RateLadder.parse(rates);
        CapacityOptions capacityOptions = noCapacity ? null
                : new CapacityOptions(target, tolerance, null, null, maxProbes);
        Arms arms = Arms.parse(options.overrides, baseLabel(options.config));
        LoadDesign design = LoadDesign.of(EXPERIMENT, Optional.of(options.config), arms, ladder,
                options.replications != null ? options.replications : 1, options.seed);

        Path dir = options.folder(EXPERIMENT);
        PlanFolder folder = new PlanFolder(dir);
        PlanProgress progress = new PlanProgress(spec.commandLine().getErr(), PlanProgress.mode(options.quiet));
        PlanRunner runner = options.runner(EXPERIMENT, folder, progress);
        runner.validate(design.cells());
        CapacitySearches capacity = capacityOptions == null ? null : design.capacitySearches(capacityOptions);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", EXPERIMENT);
        config.put("rates_rps", ladder.ratesRps());
        config.put("arms", design.arms().arms());
        config.put("common_set", design.arms().common());
        config.put("replications", design.replications());
        config.put("plan_seed", design.planSeed());
        config.put("capacity", capacityOptions);
        config.put("cells", design.cells().stream().map(c -> c.id()).toList());
        config.putAll(options.settings(spec.commandLine().getParseResult().originalArgs()));
        folder.writeConfig(config);
        folder.markIncomplete("This folder is not finished: the sweep writing it was interrupted, failed or is still"
                + " running. Resume it with: " + PlanOptions.commandLine(spec.commandLine().getParseResult().originalArgs())
                + " --resume " + dir);

        long start = System.nanoTime();
        List<FinishedCell> cells = runner.run(design.cells(), capacity);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runner.shard().partial()) {
            return PlanLaunch.shardFinished(spec.commandLine().getOut(), folder, runner.shard(), cells, seconds);
        }
        folder.writeResults(RESULTS_FILE, cells);
        folder.writeTimings("sweep_timings.csv", cells.stream().map(FinishedCell::row).toList());
        Map<String, Double> capacities = capacities(cells);

        PrintWriter out = spec.commandLine().getOut();
        long simulated = cells.stream().filter(c -> !c.fromRecord()).count();
        out.printf(Locale.ROOT, "ServeSim sweep: %d configurations x %d rates x %d replications = %d cells (%d simulated)"
                        + "%s in %.1f s%n", arms.arms().size(), ladder.ratesRps().size(), design.replications(),
                cells.size(), simulated, capacity == null ? "" : " and " + arms.arms().size() + " capacity searches", seconds);
        printTable(out, cells, capacities);
        out.println("  wrote " + dir.resolve(RESULTS_FILE));
        if (!options.noAnalysis) {
            List<Figure> drawn = LoadCurves.render(new FigureRenderer(dir.resolve(FigureRenderer.FOLDER), figures.options()),
                    points(cells, design), capacities, "Scenario " + options.config.getFileName() + ", "
                            + design.replications() + " replication(s) per point.");
            out.println("  figures " + dir.resolve(FigureRenderer.FOLDER) + " (" + drawn.size() + ", e.g. "
                    + drawn.get(0).png() + ")");
        }
        folder.markComplete();
        return 0;
    }

    private static String baseLabel(Path config) {
        String name = config.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Each configuration's capacity under its SLA, NaN where none passed; empty without capacity searches. */
    static Map<String, Double> capacities(List<FinishedCell> cells) {
        Map<String, Double> capacities = new LinkedHashMap<>();
        for (FinishedCell cell : cells) {
            CapacityRecord search = cell.capacity();
            if (search != null) {
                String value = search.columns().get(CapacityRecord.COLUMNS.get(0));
                capacities.put(cell.cell().label(), value.isEmpty() ? Double.NaN : Double.parseDouble(value));
            }
        }
        return capacities;
    }

    static List<LoadCurves.Point> points(List<FinishedCell> cells, LoadDesign design) {
        List<LoadCurves.Point> points = new ArrayList<>(cells.size());
        for (FinishedCell cell : cells) {
            ResultRow row = cell.row();
            Map<String, Double> latency = new LinkedHashMap<>();
            for (String column : LoadCurves.LATENCIES.keySet()) {
                latency.put(column, row.number(column));
            }
            points.add(new LoadCurves.Point(cell.cell().label(), LoadDesign.offeredRateRps(cell.cell().scenario()),
                    row.number("offered_rps"), row.number("achieved_rps"), Boolean.parseBoolean(row.get("saturated")),
                    row.number("goodput_fraction"), latency));
        }
        return points;
    }

    private static void printTable(PrintWriter out, List<FinishedCell> cells, Map<String, Double> capacities) {
        String current = null;
        for (FinishedCell cell : cells) {
            String label = cell.cell().label();
            if (!label.equals(current)) {
                current = label;
                Double capacity = capacities.get(label);
                out.printf(Locale.ROOT, "  %s%s%n", label, capacity == null ? ""
                        : Double.isNaN(capacity) ? "  (capacity under SLA: no probe passed)"
                        : String.format(Locale.ROOT, "  (capacity under SLA %.2f req/s)", capacity));
                out.printf(Locale.ROOT, "    %9s %9s %9s %10s %10s %10s %8s%n", "offered", "achieved", "goodput",
                        "p99 TTFT", "p99 TPOT", "p99 E2E", "");
            }
            ResultRow row = cell.row();
            out.printf(Locale.ROOT, "    %9.2f %9.2f %8.1f%% %9.3fs %9.4fs %9.2fs %8s%n", row.number("offered_rps"),
                    row.number("achieved_rps"), 100 * row.number("goodput_fraction"), row.number("ttft_p99_s"),
                    row.number("tpot_p99_s"), row.number("e2e_p99_s"),
                    Boolean.parseBoolean(row.get("saturated")) ? "SATURATED" : "");
        }
    }
}
