package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.PlanFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run split with {@code --shard I/N} and put together with {@code servesim merge} gives the files of one process,
 * byte for byte; merge refuses what is not the shards of one finished run.
 */
class ShardsTest {
    /**
     * The stress plan at a small scale: step 1 (5 configurations × 1K, 5K requests), step 2 (GPUs 1, 2), step 3
     * (K values at the best GPU count of step 2, which every shard therefore runs whole): 18 cells, with the analysis
     * (findings, figures).
     */
    private static final List<String> PLAN = List.of("stress", "--plan", "stress-legacy", "--max-requests", "5000",
            "--max-gpus", "2", "--threads", "1", "--quiet");
    /** A comparison of two schedulers, two replications: 4 cells of 300 requests, for the refusals. */
    private static final List<String> SMALL = List.of("compare", "--config", "../docs/examples/scenario.yaml", "--set",
            "scheduler.type=continuous,dynamic", "--set", "workload.requests=300", "--rate", "4", "--replications", "2",
            "--threads", "1", "--quiet", "--no-analysis");
    private static final Pattern SHARD_SUMMARY = Pattern.compile("(\\d+) cells \\((\\d+) simulated, (\\d+) from earlier records\\)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void fourShardsInFourJvmsOneKilledAndRerunMergeToTheBytesOfOneProcess() throws Exception {
        Path single = dir.resolve("single");
        CliTestSupport.Result whole = CliTestSupport.run(args(PLAN, "--out", single.toString()));
        assertThat(whole.exitCode()).as(whole.err()).isZero();

        List<Process> shards = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            folders.add(dir.resolve("shard" + i));
            shards.add(childJvm(args(PLAN, "--shard", i + "/4", "--out", folders.get(i).toString()),
                    dir.resolve("shard" + i + ".log")));
        }
        // shard 1 is killed (SIGKILL) as soon as its first cell record exists
        Process killed = shards.get(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (killed.isAlive() && records(folders.get(1)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        boolean aliveAtKill = killed.isAlive();
        killed.destroyForcibly();
        int recordsAtKill = records(folders.get(1)).size();
        for (Process shard : shards) {
            assertThat(shard.waitFor(240, TimeUnit.SECONDS)).isTrue();
        }
        for (int i : new int[] {0, 2, 3}) {
            assertThat(shards.get(i).exitValue()).as(Files.readString(dir.resolve("shard" + i + ".log"))).isZero();
        }
        assertThat(recordsAtKill).as("shard 1 wrote a record before it was killed").isPositive();
        if (aliveAtKill) {
            assertThat(folders.get(1).resolve(PlanFolder.INCOMPLETE_MARKER)).as("a killed shard says so").isRegularFile();
            CliTestSupport.Result early = CliTestSupport.run("merge", "--out", dir.resolve("early").toString(),
                    folders.get(0).toString(), folders.get(1).toString(), folders.get(2).toString(), folders.get(3).toString());
            assertThat(early.exitCode()).isEqualTo(2);
            assertThat(early.err()).contains("shard 1/4 has not finished");
            assertThat(dir.resolve("early")).doesNotExist();
        }

        Process rerun = childJvm(args(PLAN, "--shard", "1/4", "--resume", folders.get(1).toString()),
                dir.resolve("rerun.log"));
        assertThat(rerun.waitFor(240, TimeUnit.SECONDS)).isTrue();
        String rerunLog = Files.readString(dir.resolve("rerun.log"));
        assertThat(rerun.exitValue()).as(rerunLog).isZero();
        Matcher summary = SHARD_SUMMARY.matcher(rerunLog);
        assertThat(summary.find()).as(rerunLog).isTrue();
        assertThat(Integer.parseInt(summary.group(3))).as("cells of the killed run taken from its records")
                .isGreaterThanOrEqualTo(recordsAtKill);

        Path merged = dir.resolve("merged");
        CliTestSupport.Result merge = CliTestSupport.run("merge", "--out", merged.toString(), folders.get(3).toString(),
                folders.get(1).toString(), folders.get(0).toString(), folders.get(2).toString());
        assertThat(merge.exitCode()).as(merge.err()).isZero();

        Map<String, byte[]> expected = resultFiles(single);
        Map<String, byte[]> actual = resultFiles(merged);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        assertThat(expected.keySet()).as("tables, analysis, findings, report and figures are compared").contains(
                "comprehensive_stress_results_all_results.csv", "comprehensive_stress_results_step3_kbins_sensitivity.csv",
                "analysis.json", "findings.md", "report.html", "config.json")
                .anyMatch(f -> f.startsWith("figures/") && f.endsWith(".png"))
                .anyMatch(f -> f.startsWith("figures/") && f.endsWith(".svg"));
        assertSameFiles(expected, actual);
        assertThat(records(merged)).isEqualTo(records(single));
        assertThat(merged.resolve(PlanFolder.INCOMPLETE_MARKER)).doesNotExist();
    }

    @Test
    void aSearchSplitIntoThreeShardsMergesToTheFilesOfOneSearch() throws IOException {
        List<String> search = List.of("search", "--config", "../docs/examples/scenario-search-llama2-7b.yaml",
                "--target-rps", "100", "--gpus", "A100-80GB,H100-SXM", "--tp", "1,2", "--pp", "1", "--max-replicas", "3",
                "--schedulers", "continuous", "--batch-limits", "256:8192", "--chunked-prefill", "false", "--requests",
                "300");
        // four threads start the four groups' cheapest candidates at once, dearer ones than the recommendation among them
        Path single = dir.resolve("single");
        CliTestSupport.Result whole = CliTestSupport.run(args(search, "--threads", "4", "--out", single.toString()));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        List<String> folders = new ArrayList<>(List.of("merge", "--out", dir.resolve("merged").toString()));
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("shard" + i);
            CliTestSupport.Result shard = CliTestSupport.run(args(search, "--threads", "1", "--shard", i + "/3", "--out",
                    out.toString()));
            assertThat(shard.exitCode()).as(shard.err()).isZero();
            assertThat(out.resolve("search_candidates.csv")).as("a shard writes records only").doesNotExist();
            folders.add(out.toString());
        }
        CliTestSupport.Result merge = CliTestSupport.run(folders.toArray(String[]::new));
        assertThat(merge.exitCode()).as(merge.err()).isZero();
        Map<String, byte[]> expected = resultFiles(single);
        Map<String, byte[]> actual = resultFiles(dir.resolve("merged"));
        assertThat(actual.keySet()).isEqualTo(expected.keySet()).contains("search_candidates.csv", "search.json",
                "recommended_scenario.json", "figures/search_cost_capacity.png");
        assertSameFiles(expected, actual);
    }

    @Test
    void mergeRefusesShardsOfDifferentCommandsAndWritesNothing() {
        Path a = shard(SMALL, 0, "a");
        Path b = shard(List.of(args(SMALL, "--seed", "7")), 1, "b");
        CliTestSupport.Result merge = CliTestSupport.run("merge", "--out", dir.resolve("m").toString(), a.toString(), b.toString());
        assertThat(merge.exitCode()).isEqualTo(2);
        assertThat(merge.err().strip()).doesNotContain("\n").contains("are not of one run: they ran different commands");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void mergeNamesTheCellsOfAMissingShard() {
        Path a = shard(SMALL, 0, "a");
        Path b = shard(SMALL, 1, "b");
        Path c = shard(SMALL, 3, "c");
        CliTestSupport.Result merge = CliTestSupport.run("merge", "--out", dir.resolve("m").toString(), a.toString(),
                b.toString(), c.toString());
        assertThat(merge.exitCode()).isEqualTo(2);
        // the fourth shard's cells: the third cell of the comparison in plan order (continuous r0, r1; dynamic r0, r1)
        assertThat(merge.err()).contains("have no record").contains("no folder was given for shard(s) 2/4");
        assertThat(missingCells(merge.err())).hasSize(1);
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void mergeRefusesTwoRecordsOfOneCellWithDifferentResults() throws IOException {
        Path a = shard(SMALL, 0, "a");
        Path b = shard(SMALL, 1, "b");
        Path record;
        try (Stream<Path> files = Files.list(a.resolve("cells"))) {
            record = files.findFirst().orElseThrow();
        }
        // the same record in the other shard, only its time differs: accepted
        ObjectNode json = (ObjectNode) ConfigMapper.json().readTree(record.toFile());
        ((ObjectNode) json.get("timing")).put("wall_seconds", 99.0);
        Path copy = b.resolve("cells").resolve(record.getFileName());
        ConfigMapper.json().writeValue(copy.toFile(), json);
        CliTestSupport.Result timing = CliTestSupport.run("merge", "--out", dir.resolve("t").toString(), a.toString(),
                b.toString(), shard(SMALL, 2, "c").toString(), shard(SMALL, 3, "d").toString());
        assertThat(timing.exitCode()).as(timing.err()).isZero();
        // a result that differs: refused
        ((ObjectNode) json.get("row")).put("ttft_p99_s", "1234.5");
        ConfigMapper.json().writeValue(copy.toFile(), json);
        CliTestSupport.Result merge = CliTestSupport.run("merge", "--out", dir.resolve("m").toString(), a.toString(),
                b.toString(), dir.resolve("c").toString(), dir.resolve("d").toString());
        assertThat(merge.exitCode()).isEqualTo(2);
        assertThat(merge.err()).contains("two shards hold different results for cells/" + record.getFileName());
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void aShardFolderResumesOnlyAsItsOwnShard() {
        Path a = shard(SMALL, 0, "a");
        CliTestSupport.Result other = CliTestSupport.run(args(SMALL, "--shard", "1/4", "--resume", a.toString()));
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("holds shard 0/4 of a run: resume it with --shard 0/4");
        CliTestSupport.Result whole = CliTestSupport.run(args(SMALL, "--resume", a.toString()));
        assertThat(whole.exitCode()).isEqualTo(2);
        CliTestSupport.Result bad = CliTestSupport.run(args(SMALL, "--shard", "4/4", "--out", dir.resolve("x").toString()));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--shard must be I/N with 0 <= I < N, got 4/4");
    }

    /** Text files compared as text first (a readable difference), then every file byte for byte. */
    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        expected.forEach((file, bytes) -> {
            if (!file.endsWith(".png")) {
                assertThat(new String(actual.get(file), java.nio.charset.StandardCharsets.UTF_8)).as(file)
                        .isEqualTo(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        expected.forEach((file, bytes) -> assertThat(actual.get(file)).as(file).isEqualTo(bytes));
    }

    private Path shard(List<String> command, int index, String name) {
        Path out = dir.resolve(name);
        CliTestSupport.Result run = CliTestSupport.run(args(command, "--shard", index + "/4", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ServeSim shard " + index + "/4: 1 cells (1 simulated");
        return out;
    }

    private static List<String> missingCells(String err) {
        Matcher m = Pattern.compile("have no record in [^:]+: ([^;]+);").matcher(err);
        return m.find() ? List.of(m.group(1).split(", ")) : List.of();
    }

    private static String[] args(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code servesim …} in a new JVM with this JVM's java binary and class path. */
    private static Process childJvm(String[] args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), ServeSimCli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Cell ids with a record in {@code cells/}. */
    private static List<String> records(Path folder) throws IOException {
        Path cells = folder.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cells)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .sorted().toList();
        }
    }

    /**
     * Every file of a results folder but the records (whose wall-clock times differ) and the timings table built from
     * them: relative path → bytes.
     */
    private static Map<String, byte[]> resultFiles(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = folder.relativize(file).toString();
                if (!name.startsWith("cells/") && !name.startsWith("capacity/") && !name.endsWith("_timings.csv")) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
