package io.servesim.experiments.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gathers the records of a run's shards into one folder, from which the run's own command, with
 * {@code --records-only}, writes the files a single process would have written. Refuses shards of different runs,
 * unfinished shards, and two records of one cell or search that differ in anything but their wall-clock time.
 */
public final class ShardMerge {
    /** Flags that say where and how a shard ran, not what: they may differ between the shards of one run. */
    private static final Set<String> WHERE_FLAGS = Set.of("--shard", "--out", "--resume");
    private static final Set<String> HOW_SWITCHES = Set.of("--force", "--quiet");
    /** Fields of a record that only time the run on its machine. */
    private static final List<String> TIMING_FIELDS = List.of("timing", "wall_seconds");

    /** A shard's folder and its manifest. */
    public record ShardFolder(Path dir, ShardManifest manifest) {
        Shard shard() {
            return manifest.parsedShard();
        }
    }

    private final List<ShardFolder> shards;

    private ShardMerge(List<ShardFolder> shards) {
        this.shards = shards;
    }

    /**
     * Reads the manifests of {@code dirs} and checks that they are finished shards of one run (same command but for
     * where it wrote, same shard count, same working folder, same ServeSim as {@code servesim}).
     */
    public static ShardMerge of(List<Path> dirs, Map<String, Object> servesim) {
        List<ShardFolder> shards = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new PlanException(dir + ": no such folder");
            }
            PlanFolder folder = new PlanFolder(dir);
            ShardManifest manifest = folder.shardManifest().orElseThrow(() -> new PlanException(dir
                    + " is not the folder of a shard (it has no " + PlanFolder.SHARD_MANIFEST + "); give the folders the"
                    + " runs with --shard I/N wrote"));
            if (Files.exists(dir.resolve(PlanFolder.INCOMPLETE_MARKER))) {
                throw new PlanException(dir + ": shard " + manifest.shard() + " has not finished ("
                        + PlanFolder.INCOMPLETE_MARKER + " is present); run it to the end with its command and --resume "
                        + dir + " --shard " + manifest.shard());
            }
            shards.add(new ShardFolder(dir, manifest));
        }
        ShardFolder first = shards.get(0);
        for (ShardFolder other : shards) {
            String mismatch = !defining(other.manifest().arguments()).equals(defining(first.manifest().arguments()))
                    ? "ran different commands (" + String.join(" ", defining(first.manifest().arguments())) + " and "
                    + String.join(" ", defining(other.manifest().arguments())) + ")"
                    : other.shard().count() != first.shard().count()
                    ? "split the run into different numbers of shards (" + first.manifest().shard() + " and "
                    + other.manifest().shard() + ")"
                    : !other.manifest().workingDir().equals(first.manifest().workingDir())
                    ? "ran in different working folders (" + first.manifest().workingDir() + " and "
                    + other.manifest().workingDir() + ")"
                    : !other.manifest().servesim().equals(first.manifest().servesim())
                    ? "were run by different ServeSim builds (" + first.manifest().servesim() + " and "
                    + other.manifest().servesim() + ")"
                    : null;
            if (mismatch != null) {
                throw new PlanException("the shards " + first.dir() + " and " + other.dir() + " are not of one run: they "
                        + mismatch + "; merge only the shards of one command");
            }
        }
        if (!first.manifest().servesim().equals(servesim)) {
            throw new PlanException("the shards were run by ServeSim " + first.manifest().servesim() + ", this is "
                    + servesim + "; merge with the build that ran them");
        }
        String here = Path.of("").toAbsolutePath().toString();
        if (!first.manifest().workingDir().equals(here)) {
            throw new PlanException("the shards ran in " + first.manifest().workingDir() + ", this merge runs in " + here
                    + "; run it there: the shards' command names its files relative to that folder");
        }
        shards.sort(Comparator.comparingInt(s -> s.shard().index()));
        return new ShardMerge(shards);
    }

    /** The shard indexes of the run that no folder was given for, as {@code I/N}. */
    public List<String> absentShards() {
        int count = shards.get(0).shard().count();
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            if (shards.stream().noneMatch(s -> s.shard().index() == index)) {
                absent.add(index + "/" + count);
            }
        }
        return absent;
    }

    /**
     * The command that builds the run's files in {@code out} from the gathered records: the shards' command without
     * its shard and folder, with {@code --resume out --records-only}.
     */
    public List<String> recordsOnlyCommand(Path out) {
        List<String> command = without(shards.get(0).manifest().arguments(), Set.of("--force"));
        command.addAll(List.of("--resume", out.toString(), "--records-only"));
        return command;
    }

    /**
     * Copies every record of every shard ({@code cells/}, {@code capacity/}, {@code requests/}) and the first shard's
     * {@code config.json} (if it has one) into {@code out}, after checking that two shards holding the same record hold the same
     * result (records: all but their wall-clock time; per-request files: every byte). Nothing is copied when a check
     * fails.
     */
    public void gatherRecords(Path out) {
        Map<Path, Path> sources = new LinkedHashMap<>();
        for (ShardFolder shard : shards) {
            for (String sub : List.of(PlanFolder.CELLS, PlanFolder.CAPACITY, PlanFolder.REQUESTS)) {
                for (Path file : files(shard.dir().resolve(sub))) {
                    Path name = Path.of(sub, file.getFileName().toString());
                    Path earlier = sources.putIfAbsent(name, file);
                    if (earlier != null && !sameResult(earlier, file)) {
                        throw new PlanException("two shards hold different results for " + name + ": " + earlier + " and "
                                + file + "; they were not made by one run (rerun one of them into a new folder)");
                    }
                }
            }
        }
        try {
            Files.createDirectories(out);
            Path config = shards.get(0).dir().resolve("config.json");
            if (Files.isRegularFile(config)) {   // a resumed plan's folder has one; a search writes its own at the end
                AtomicFiles.write(out.resolve("config.json"), copy -> Files.copy(config, copy));
            }
            for (Map.Entry<Path, Path> entry : sources.entrySet()) {
                AtomicFiles.write(out.resolve(entry.getKey()), copy -> Files.copy(entry.getValue(), copy));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the shards' records into " + out, e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot copy the shards' records into " + out, e.getCause());
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean sameResult(Path a, Path b) {
        try {
            if (!a.getFileName().toString().endsWith(".json")) {
                return Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
            }
            return withoutTiming(a).equals(withoutTiming(b));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + a + " or " + b, e);
        }
    }

    private static JsonNode withoutTiming(Path record) throws IOException {
        JsonNode json = ConfigMapper.json().readTree(record.toFile());
        if (json instanceof ObjectNode object) {
            object.remove(TIMING_FIELDS);
        }
        return json;
    }

    /** The arguments that say what a shard's command runs: without where it wrote, its shard and its output switches. */
    static List<String> defining(List<String> args) {
        return without(args, HOW_SWITCHES);
    }

    /** {@code args} without the flags of {@link #WHERE_FLAGS} (and their values) and without {@code switches}. */
    private static List<String> without(List<String> args, Set<String> switches) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (WHERE_FLAGS.contains(arg)) {
                i++;
            } else if (!WHERE_FLAGS.contains(flag) && !switches.contains(arg)) {
                kept.add(arg);
            }
        }
        return kept;
    }
}
