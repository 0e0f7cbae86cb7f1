package io.servesim.experiments.cli;

import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.capacity.CapacityReport;
import io.servesim.experiments.output.OutputFolder;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code servesim capacity --config scenario.yaml}: the highest arrival rate at which the scenario's deployment
 * keeps goodput_fraction ≥ target without saturating, by bracketing and bisection on the workload's rps_scale
 * (docs/load-and-capacity.md). Writes {@code capacity.json} and {@code capacity_probes.csv}; every flag is checked
 * before the first probe, so a mistake writes nothing.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "Find the highest arrival rate a scenario sustains under its SLA.")
public final class CapacityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Scenario YAML or JSON.")
    Path config;

    @Option(names = "--target", paramLabel = "F", description = "Goodput fraction a rate must reach (default ${DEFAULT-VALUE}).")
    double target = CapacityOptions.DEFAULT_TARGET;

    @Option(names = "--tolerance", paramLabel = "F",
            description = "Relative width of the final bracket (default ${DEFAULT-VALUE}).")
    double tolerance = CapacityOptions.DEFAULT_TOLERANCE;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per probe (default: the workload's).")
    Long requests;

    @Option(names = "--probe-seconds", paramLabel = "S",
            description = "Instead of --requests: seconds of arrivals per probe, whatever its rate.")
    Double probeSeconds;

    @Option(names = "--max-probes", paramLabel = "N", description = "Most simulations to run (default ${DEFAULT-VALUE}).")
    int maxProbes = CapacityOptions.DEFAULT_MAX_PROBES;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the scenario, e.g."
            + " --set deployment.tp=2 (after --config, before the named flags; repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the scenario's seed (the same for every probe).")
    Long seed;

    @Option(names = "--warmup-fraction", paramLabel = "F",
            description = "Leave the first and the last F of arrivals out of SLA figures (default: the scenario's, 0).")
    Double warmupFraction;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/capacity-<timestamp>).")
    Path out;

    @Option(names = "--force", description = "Write into --out even if it is not empty (files of the same name are replaced).")
    boolean force;

    @Override
    public Integer call() {
        Path dir = out != null ? out : ResultFolders.timestamped("capacity");
        OutputFolder.requireNew("--out", dir, force, "");
        CapacityOptions options = new CapacityOptions(target, tolerance, requests, probeSeconds, maxProbes);
        Scenario scenario = Scenario.read(config, overrides);
        if (seed != null) {
            scenario = scenario.withSeed(seed);
        }
        if (warmupFraction != null) {
            scenario = scenario.withMetrics(scenario.metrics().withWarmupFraction(warmupFraction));
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "ServeSim capacity: %s (seed %d), target goodput %.1f %%, tolerance %.1f %%%n",
                config.getFileName(), scenario.seed(), 100 * target, 100 * tolerance);
        CapacityResult result = CapacitySearch.find(scenario, options, probe -> w.printf(Locale.ROOT,
                "  probe %2d %-7s %10.3f req/s  goodput %6.2f %%  %s%s%n", probe.index(), probe.phase(), probe.rateRps(),
                100 * probe.goodputFraction(), probe.passed() ? "pass" : "fail", probe.saturated() ? "  (saturated)" : ""));
        CapacityReport.write(dir, ConfigMapper.json().valueToTree(scenario), result);
        w.println("  capacity   " + describe(result));
        result.slas().forEach(p -> w.printf(Locale.ROOT, "  SLA        %s: TTFT %.3f s, TPOT %.3f s, per token %.3f s%n",
                p.name(), p.sla().ttftSeconds(), p.sla().tpotSeconds(), p.sla().normalizedLatencySecondsPerToken()));
        w.println("  wrote      " + dir.resolve(CapacityReport.JSON_FILE) + ", " + dir.resolve(CapacityReport.PROBES_FILE));
        return 0;
    }

    private static String describe(CapacityResult r) {
        return switch (r.status()) {
            case FOUND -> String.format(Locale.ROOT, "%.3f req/s (%.3f per GPU on %d GPUs); %.3f req/s fails",
                    r.capacityRps(), r.capacityRpsPerGpu(), r.gpus(), r.lowestFailingRps());
            case TOLERANCE_NOT_REACHED -> String.format(Locale.ROOT,
                    "between %.3f and %.3f req/s (probes ran out before the tolerance; raise --max-probes)",
                    r.capacityRps(), r.lowestFailingRps());
            case ABOVE_HIGHEST_PROBE -> String.format(Locale.ROOT,
                    "at least %.3f req/s (every probe passed; raise --max-probes)", r.capacityRps());
            case BELOW_LOWEST_PROBE -> String.format(Locale.ROOT,
                    "below %.3f req/s (every probe failed: check the SLA against the unloaded latency)",
                    r.lowestFailingRps());
        };
    }
}
