package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.output.OutputFolder;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.schedulers.RouterSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The flags every plan command shares: where results go, resuming, threads, seeds, progress, analysis. */
public final class PlanOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Scenario YAML (deployment, engine, scheduler, router, workload, metrics sections) the cells start from; a plan: section sets the plan's axes.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the config, e.g."
            + " --set engine.chunked_prefill=true (after --config, before the named flags; repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Plan seed every cell's seed derives from (default 42).")
    Long seed;

    @Option(names = "--replications", paramLabel = "R", description = "Runs per cell, each with its own seed (default 1).")
    Integer replications;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/<experiment>-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR: cells with a record there are not simulated again.")
    Path resume;

    @Option(names = "--force", description = "Write into --out even if it is not empty (files of the same name are replaced).")
    boolean force;

    @Option(names = "--threads", paramLabel = "N", description = "Cells run in parallel (default: all cores).")
    Integer threads;

    @Option(names = "--per-request", description = "Also write requests/<cell_id>.csv.gz (one row per request).")
    boolean perRequest;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--no-analysis", description = "Do not write the analysis (findings, figures, report).")
    boolean noAnalysis;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (counted from 0) of the cells and"
            + " write their records; servesim merge builds the result files from the folders of all N (docs/cluster.md).")
    String shard;

    @Option(names = "--records-only", description = "Simulate nothing: build the result files of --resume DIR from the"
            + " records it holds, naming every cell without one (what servesim merge runs).")
    boolean recordsOnly;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Rejects flag values that cannot work, before anything is written. */
    void check() {
        if (threads != null && threads < 1) {
            throw new UserInputException("--threads must be >= 1, got " + threads);
        }
        if (replications != null && replications < 1) {
            throw new UserInputException("--replications must be >= 1, got " + replications);
        }
        if (resume != null && out != null) {
            throw new UserInputException("give either --resume DIR (continue that folder) or --out DIR, not both");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new UserInputException("--resume " + resume + ": no such folder");
        }
        if (resume != null && force) {
            throw new UserInputException("--force goes with --out; --resume continues a folder without it");
        }
        ShardFlags.check(shard, recordsOnly, resume);
    }

    /**
     * The output folder — the resumed one, {@code --out}, or {@code results/<experiment>-<timestamp>} — checked before
     * anything runs: it must take files, a new folder must be empty (unless {@code --force}), and a resumed one
     * must be the folder of a run (whose records the runner then checks against this run's settings).
     */
    Path folder(String experiment) {
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve("config.json"))) {
                throw new UserInputException("--resume " + resume + ": not the folder of a run (it has no config.json);"
                        + " give the folder an interrupted run was writing, or --out for a new run");
            }
            OutputFolder.requireWritable("--resume", resume);
            return resume;
        }
        Path dir = out != null ? out : ResultFolders.timestamped(experiment);
        OutputFolder.requireNew("--out", dir, force, "--resume " + dir + " to finish an interrupted run of the same settings, ");
        return dir;
    }

    int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    PlanRunner runner(String experiment, PlanFolder folder, PlanProgress progress) {
        return new PlanRunner(experiment, folder, threadCount(), perRequest, resume != null, progress, ShardFlags.mode(
                ShardFlags.check(shard, recordsOnly, resume), recordsOnly, command.commandLine().getParseResult().originalArgs()));
    }

    /**
     * The knobs of these flags for config.json, after the provenance of the run: the ServeSim release and commit
     * that simulated it ({@code servesim}) and the command that reproduces it ({@code command}, see
     * {@link #commandLine}).
     */
    Map<String, Object> settings(List<String> originalArgs) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("servesim", ServeSimVersion.current().asMap());
        settings.put("command", commandLine(originalArgs));
        settings.put("threads", threadCount());
        settings.put("per_request", perRequest);
        settings.put("config_file", config == null ? null : config.toString());
        settings.put("set", List.copyOf(overrides));
        settings.put("analysis", !noAnalysis);
        return settings;
    }

    /**
     * The command as typed, without the output folder ({@code --out DIR}, {@code --resume DIR}) and
     * {@code --records-only}: those name where the results went and how, not what they are, so a resumed run (and
     * the merge of a run's shards) records the same command. Arguments with characters a
     * shell would interpret are single-quoted.
     */
    static String commandLine(List<String> originalArgs) {
        List<String> kept = new ArrayList<>(List.of("servesim"));
        for (int i = 0; i < originalArgs.size(); i++) {
            String arg = originalArgs.get(i);
            if (arg.equals("--out") || arg.equals("--resume")) {
                i++;
            } else if (!arg.startsWith("--out=") && !arg.startsWith("--resume=") && !arg.equals("--records-only")) {
                kept.add(shellQuoted(arg));
            }
        }
        return String.join(" ", kept);
    }

    private static String shellQuoted(String arg) {
        return !arg.isEmpty() && arg.matches("[A-Za-z0-9_./=:,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * The scenario sections of {@code --config FILE}, to lay over a plan's base scenario. A {@code plan:} section (the
     * axes of the stress plan before plans became files) is refused with the way to the plan file.
     */
    static ObjectNode scenarioSections(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--config " + file + " does not exist or is not a file");
        }
        JsonNode read = ConfigMapper.read(file, JsonNode.class);
        if (!read.isObject()) {
            throw new UserInputException("--config " + file + ": must be a mapping of scenario sections");
        }
        if (read.has("plan")) {
            throw new UserInputException("--config " + file + ": a plan: section no longer sets the plan's axes; copy"
                    + " the plan (servesim plan show stress > my-plan.yaml), edit it and run it with --plan my-plan.yaml"
                    + " or servesim plan run my-plan.yaml (docs/experiments.md)");
        }
        return (ObjectNode) read;
    }

    /** A router by its type name; an unknown name fails with the list of routers. */
    static RouterSpec router(String type) {
        return ConfigMapper.convert(JsonNodeFactory.instance.objectNode().put("type", type), RouterSpec.class, "router");
    }
}
