package io.servesim.experiments.cli;

import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.figures.TimeSeriesFigures;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.EngineObserver;
import io.servesim.core.observe.TimeSeriesRecorder;
import io.servesim.core.observe.TraceRecorder;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.experiments.output.TimeSeriesCsv;
import io.servesim.experiments.output.OutputFolder;
import io.servesim.experiments.output.StrictJson;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.output.RequestRecordsWriter;
import io.servesim.experiments.output.RunSummary;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code servesim run --config scenario.yaml}: one deployment against one workload. Prints a summary
 * and writes {@code summary.json} (the effective scenario and the metrics) and {@code requests.csv}
 * (one row per request). The same seed gives byte-identical files.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Simulate one scenario (deployment, scheduler, workload).")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Scenario YAML or JSON (see docs/examples/scenario.yaml).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/run-<timestamp>).")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the scenario, e.g."
            + " --set deployment.tp=2 (after --config, before the named flags; repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the scenario's seed.")
    Long seed;

    @Option(names = "--requests", paramLabel = "N", description = "Overrides the workload's request count.")
    Long requests;

    @Option(names = "--warmup-fraction", paramLabel = "F",
            description = "Leave the first and the last F of arrivals out of latency and SLA figures (default: the scenario's, 0).")
    Double warmupFraction;

    @Option(names = "--no-requests-csv", description = "Do not write requests.csv.")
    boolean noRequestsCsv;

    @Option(names = "--timeseries-interval", paramLabel = "SECONDS", description = "Sample every replica's queue,"
            + " batch, tokens per iteration, KV blocks and busy fraction every SECONDS of simulated time into"
            + " timeseries.csv and figures/timeseries_*.png (default: the scenario's"
            + " metrics.timeseries_interval_seconds, or none).")
    Double timeseriesInterval;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Write a Chrome / Perfetto trace (JSON"
            + " trace-event format) of the iterations and requests in the --trace-window to FILE.")
    Path traceOut;

    @Option(names = "--trace-window", paramLabel = "START:END", description = "Simulated seconds the trace covers"
            + " (default 0:10); only with --trace-out.")
    String traceWindow;

    @Option(names = "--force", description = "Write into --out even if it is not empty (files of the same name are replaced).")
    boolean force;

    @Override
    public Integer call() {
        Path dir = out != null ? out : ResultFolders.timestamped("run");
        OutputFolder.requireNew("--out", dir, force, "");
        Scenario scenario = Scenario.read(config, overrides);
        if (seed != null) {
            scenario = scenario.withSeed(seed);
        }
        if (requests != null) {
            if (requests < 1) {
                throw new UserInputException("--requests must be >= 1, got " + requests);
            }
            scenario = scenario.withWorkload(scenario.workload().withRequests(requests));
        }
        if (warmupFraction != null) {
            scenario = scenario.withMetrics(scenario.metrics().withWarmupFraction(warmupFraction));
        }
        if (timeseriesInterval != null) {
            if (!(timeseriesInterval > 0) || timeseriesInterval.isInfinite()) {
                throw new UserInputException("--timeseries-interval must be a positive number of seconds (e.g. 1), got "
                        + timeseriesInterval);
            }
            scenario = scenario.withMetrics(scenario.metrics().withTimeseriesIntervalSeconds(timeseriesInterval));
        }
        TraceRecorder trace = traceRecorder();
        Double interval = scenario.metrics().timeseriesIntervalSeconds();
        TimeSeriesRecorder timeSeries = interval == null ? null : new TimeSeriesRecorder(interval);
        ScenarioRun run = ScenarioRunner.run(scenario, EngineObserver.both(timeSeries, trace));
        PlanFolder folder = new PlanFolder(dir);
        folder.markIncomplete("This folder is not finished: the run writing it was interrupted or failed. Run the same"
                + " command again with --force to write it anew.");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", ConfigMapper.json().valueToTree(scenario));
        summary.put("metrics", run.metrics().columns());
        summary.put("sla_by_profile", run.metrics().slaByProfile());
        summary.put("prefix_hit_rate_tokens_per_engine", run.metrics().prefixCache().tokenHitRatePerEngine());
        StrictJson.write(dir.resolve("summary.json"), summary);
        if (!noRequestsCsv) {
            RequestRecordsWriter.write(dir.resolve("requests.csv"), run.result().requests(), run.result().profiles());
        }
        var w = spec.commandLine().getOut();
        RunSummary.print(w, "ServeSim run: " + config.getFileName() + " (seed " + scenario.seed() + ")", run.metrics());
        if (scenario.engine().frontEndMs() > 0) {
            w.printf(Locale.ROOT, "  front end  %.1f ms before every request's queue (engine.front_end_ms),"
                    + " in TTFT and e2e, not in TTFT-q%n", scenario.engine().frontEndMs());
        }
        w.println("  wrote      " + dir.resolve("summary.json") + (noRequestsCsv ? "" : ", " + dir.resolve("requests.csv")));
        if (timeSeries != null) {
            Path csv = dir.resolve(TimeSeriesCsv.FILE);
            TimeSeriesCsv.write(csv, timeSeries);
            List<Path> figures = TimeSeriesFigures.draw(csv, new FigureRenderer(dir.resolve(FigureRenderer.FOLDER)));
            w.println("  wrote      " + csv + (figures.isEmpty() ? "" : " and " + figures.size() + " figures in "
                    + dir.resolve(FigureRenderer.FOLDER)));
        }
        folder.markComplete();
        if (trace != null) {
            AtomicFiles.write(traceOut, stream -> trace.write(stream, run.result().requests()));
            w.println("  wrote      " + traceOut + " (" + trace.iterations() + " iterations; open in ui.perfetto.dev)");
        }
        return 0;
    }

    /** The trace recorder the flags ask for, or null; a mistake in them is found before the run. */
    private TraceRecorder traceRecorder() {
        if (traceOut == null) {
            if (traceWindow != null) {
                throw new UserInputException("--trace-window needs --trace-out FILE");
            }
            return null;
        }
        String window = traceWindow == null ? "0:10" : traceWindow;
        String[] parts = window.split(":", -1);
        double start;
        double end;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            start = Double.parseDouble(parts[0].trim());
            end = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("--trace-window must be START:END in simulated seconds (e.g. 100:110), got '"
                    + window + "'");
        }
        if (!(start >= 0) || !(end > start) || Double.isInfinite(end)) {
            throw new UserInputException("--trace-window needs 0 <= START < END (finite), got '" + window + "'");
        }
        if (Files.isDirectory(traceOut)) {
            throw new UserInputException("--trace-out " + traceOut + " is a folder; give a file name, e.g. trace.json");
        }
        return new TraceRecorder(start, end);
    }
}
