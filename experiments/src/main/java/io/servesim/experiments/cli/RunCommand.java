package io.servesim.experiments.cli;

import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.output.StrictJson;
import io.servesim.experiments.output.RequestRecordsWriter;
import io.servesim.experiments.output.RunSummary;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.Scenario.MetricsConfig;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public Integer call() {
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
            scenario = scenario.withMetrics(new MetricsConfig(warmupFraction));
        }
        ScenarioRun run = ScenarioRunner.run(scenario);
        Path dir = out != null ? out : ResultFolders.timestamped("run");
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
        w.println("  wrote      " + dir.resolve("summary.json") + (noRequestsCsv ? "" : ", " + dir.resolve("requests.csv")));
        return 0;
    }
}
