package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.output.ResultsSchemaDoc;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.stress.StressStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stress plan through the command line at a small scale: 2,000 requests at most (step 1: 1K and 2K),
 * GPUs up to 8 (step 2: 1, 2, 4, 8), all six K values (step 3) — 20 cells, run once with two threads
 * and reused by every test.
 */
class StressCommandTest {
    private static final String[] SMALL = {"--max-requests", "2000", "--max-gpus", "8"};
    private static final List<String> STEP_FILES = List.of(StressStep.REQUEST_SCALING.fileName(),
            StressStep.GPU_SCALING.fileName(), StressStep.KBINS_SENSITIVITY.fileName(), StressStep.ALL_RESULTS_FILE);

    @TempDir
    static Path shared;
    static Path parallel;
    static CliTestSupport.Result parallelRun;

    @BeforeAll
    static void runThePlanOnceWithTwoThreads() {
        parallel = shared.resolve("parallel");
        parallelRun = CliTestSupport.run(args("--threads", "2", "--quiet", "--out", parallel.toString()));
    }

    private static String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("stress", "--plan", "stress-legacy"));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void writesEveryFileWithTheSchemaColumnsAndTheRowsOfEachStep() throws IOException {
        assertThat(parallelRun.exitCode()).as(parallelRun.err()).isZero();
        assertThat(parallelRun.err()).as("--quiet prints nothing on stderr").isEmpty();
        for (String file : List.of(StressStep.REQUEST_SCALING.fileName(), StressStep.GPU_SCALING.fileName(),
                StressStep.KBINS_SENSITIVITY.fileName(), StressStep.ALL_RESULTS_FILE, StressStep.TIMINGS_FILE,
                "comprehensive_stress_results_analysis.json", "config.json", "findings.md", "report.html")) {
            assertThat(parallel.resolve(file)).isRegularFile();
        }
        assertThat(parallel.resolve("figures")).isDirectory();

        // The header is the schema as docs/results-schema.md declares it, not as the writer's own column list says.
        List<String> expectedColumns = ResultsSchemaDoc.columns(false);
        for (String file : STEP_FILES) {
            assertThat(Files.readAllLines(parallel.resolve(file)).get(0)).isEqualTo(String.join(",", expectedColumns));
        }
        List<ResultRow> step1 = ResultsCsv.read(parallel.resolve(StressStep.REQUEST_SCALING.fileName()));
        List<ResultRow> step2 = ResultsCsv.read(parallel.resolve(StressStep.GPU_SCALING.fileName()));
        List<ResultRow> step3 = ResultsCsv.read(parallel.resolve(StressStep.KBINS_SENSITIVITY.fileName()));
        // step 1: {1000, 2000} × {static, dynamic, multi_bin on 1, 2, 4 GPUs}; step 2: 1, 2, 4, 8 GPUs; step 3: 6 K values
        assertThat(step1).hasSize(10);
        assertThat(step1).extracting(r -> r.get("requests")).containsOnly("1000", "2000");
        assertThat(step2).extracting(r -> r.get("gpus")).containsExactly("1", "2", "4", "8");
        assertThat(step2).extracting(r -> r.get("requests")).containsOnly("2000");
        assertThat(step3).extracting(r -> r.get("k_bins")).containsExactly("1", "2", "4", "8", "16", "32");
        assertThat(ResultsCsv.read(parallel.resolve(StressStep.ALL_RESULTS_FILE))).hasSize(20);
        assertThat(Files.readAllLines(parallel.resolve(StressStep.TIMINGS_FILE)))
                .hasSize(21).first().isEqualTo("cell_id,wall_s,requests_per_wall_s,events,iterations");
        for (ResultRow row : step1) {
            assertThat(row.number("arrived")).isEqualTo(row.number("requests"));
            assertThat(row.get("rps_scale")).isEqualTo("200.0");
            assertThat(row.get("k_bins")).isEqualTo(row.get("scheduler").equals("multi_bin") ? "4" : "");
        }
    }

    @Test
    void theAnalysisNamesTheBestGpuCountAndTheBestKOfTheRows() throws IOException {
        assertThat(parallelRun.exitCode()).as(parallelRun.err()).isZero();
        JsonNode analysis = new ObjectMapper().readTree(parallel.resolve("comprehensive_stress_results_analysis.json").toFile());
        List<ResultRow> step2 = ResultsCsv.read(parallel.resolve(StressStep.GPU_SCALING.fileName()));
        List<ResultRow> step3 = ResultsCsv.read(parallel.resolve(StressStep.KBINS_SENSITIVITY.fileName()));

        // the stated rule: the smallest GPU count whose goodput is within 5 % of the best goodput of step 2
        double bestGoodput = step2.stream().mapToDouble(r -> r.number("goodput_rps")).max().orElseThrow();
        int bestGpus = step2.stream().filter(r -> r.number("goodput_rps") >= 0.95 * bestGoodput)
                .mapToInt(r -> (int) r.number("gpus")).min().orElseThrow();
        ResultRow bestK = step3.stream().max(Comparator.comparingDouble(r -> r.number("goodput_rps"))).orElseThrow();

        assertThat(step(analysis, StressStep.GPU_SCALING).at("/gpuScaling/series/0/bestGpus").asInt()).isEqualTo(bestGpus);
        assertThat(step(analysis, StressStep.KBINS_SENSITIVITY).at("/kBins/series/0/bestGoodputK").asInt())
                .isEqualTo((int) bestK.number("k_bins"));
        assertThat(step(analysis, StressStep.KBINS_SENSITIVITY).at("/kBins/series/0/verdict").asText())
                .isIn("RECOMMENDED", "NO_SIGNIFICANT_DIFFERENCE", "IDENTICAL");
        assertThat(step3).extracting(r -> r.get("gpus")).containsOnly(Integer.toString(bestGpus));
        assertThat(parallelRun.out()).contains("best_gpu_count from step2_gpu_scaling: " + bestGpus + " GPUs");
        JsonNode config = ConfigMapper.json().readTree(parallel.resolve("config.json").toFile());
        assertThat(config.get("derived").get("best_gpu_count from step2_gpu_scaling").asText())
                .startsWith(bestGpus + " GPUs");
        // the plan as run, flags applied: --max-gpus 8 capped the GPU ladder
        assertThat(config.at("/plan/ladders/gpus").toString()).isEqualTo("[1,2,4,8]");
        assertThat(config.at("/threads").asInt()).isEqualTo(2);
    }

    @Test
    void configRecordsTheVersionThatSimulatedAndTheCommandWithoutItsOutputFolder() throws IOException {
        JsonNode config = ConfigMapper.json().readTree(parallel.resolve("config.json").toFile());

        assertThat(config.at("/servesim/release").asText()).isEqualTo(ServeSimVersion.current().release())
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(config.at("/servesim/commit").asText()).isEqualTo(ServeSimVersion.current().commit()).isNotBlank();
        assertThat(config.at("/servesim/java").asText()).isEqualTo(Integer.toString(Runtime.version().feature()));
        assertThat(config.at("/command").asText())
                .isEqualTo("servesim stress --plan stress-legacy --max-requests 2000 --max-gpus 8 --threads 2 --quiet");
    }

    @Test
    void everyJsonFileIsStrictJsonAndAnUnlimitedEngineReadsBackUnlimited() throws IOException {
        var strict = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .disable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        List<Path> json;
        try (Stream<Path> files = Files.walk(parallel)) {
            json = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(json).hasSizeGreaterThan(20);
        for (Path file : json) {
            strict.readTree(file.toFile());
        }
        JsonNode engine = strict.readTree(parallel.resolve("config.json").toFile()).at("/scenario/engine");
        assertThat(engine.get("queue_timeout_seconds").isNull()).isTrue();
        assertThat(ConfigMapper.convert(engine, io.servesim.core.setup.EngineConfig.class, "engine").queueTimeoutSeconds())
                .isInfinite();
    }

    @Test
    void versionFlagPrintsTheReleaseAndTheCommit() {
        CliTestSupport.Result run = CliTestSupport.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("servesim " + ServeSimVersion.current().release() + " (commit "
                + ServeSimVersion.current().commit() + ")").doesNotContain("development");
    }

    @Test
    void commandLineLeavesOutTheOutputFolderAndQuotesWhatAShellWouldInterpret() {
        assertThat(PlanOptions.commandLine(List.of("stress", "--out", "/tmp/x", "--set", "engine.chunked_prefill=true",
                "--resume=/tmp/y", "--config", "my plan.yaml"))).isEqualTo(
                "servesim stress --set engine.chunked_prefill=true --config 'my plan.yaml'");
    }

    @Test
    void anotherWorkloadArrivesAtItsOwnRateUnlessTheScaleIsGivenAndTheCommandSaysSoBeforeItRuns() throws IOException {
        // heavy declares 60 req/s; the stress preset's default scale of 200 would offer it 12,000 req/s
        Path own = shared.resolve("heavy-own-rate");
        CliTestSupport.Result run = CliTestSupport.run("stress", "--plan", "stress-legacy", "--workload", "heavy", "--step2-only", "--max-requests",
                "200", "--max-gpus", "1", "--quiet", "--no-analysis", "--out", own.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("ServeSim stress plan: offering 60 req/s")
                .contains("workload heavy", "rps-scale 1", "--rps-scale");
        assertThat(ResultsCsv.read(own.resolve(StressStep.GPU_SCALING.fileName())))
                .extracting(r -> r.get("rps_scale")).containsOnly("1.0");
        JsonNode load = ConfigMapper.json().readTree(own.resolve("config.json").toFile()).get("offered_load");
        assertThat(load.get("rps").asDouble()).isEqualTo(60.0);
        assertThat(load.get("scale_source").asText()).contains("its own rate");

        Path given = shared.resolve("heavy-given-scale");
        run = CliTestSupport.run("stress", "--plan", "stress-legacy", "--workload", "heavy", "--rps-scale", "3", "--step2-only", "--max-requests",
                "200", "--max-gpus", "1", "--quiet", "--no-analysis", "--out", given.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("offering 180 req/s");
        assertThat(ResultsCsv.read(given.resolve(StressStep.GPU_SCALING.fileName())))
                .extracting(r -> r.get("rps_scale")).containsOnly("3.0");
    }

    @Test
    void oneThreadWritesTheSameResultBytesAsTwo() throws IOException {
        Path serial = shared.resolve("serial");
        CliTestSupport.Result run = CliTestSupport.run(args("--threads", "1", "--no-analysis", "--out", serial.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String file : STEP_FILES) {
            assertThat(Files.readAllBytes(serial.resolve(file))).as(file).isEqualTo(Files.readAllBytes(parallel.resolve(file)));
        }
        assertThat(run.err()).as("one line per step when stderr is not a terminal")
                .contains("step1_request_scaling done", "step2_gpu_scaling done", "step3_kbins_sensitivity done");
    }

    @Test
    void resumingAFinishedFolderSimulatesNothingAndKeepsEveryByte() throws IOException {
        Path copy = copyOf(parallel, "finished");
        Map<String, byte[]> before = bytes(copy);
        Map<String, FileTime> recordTimes = modifiedTimes(copy.resolve("cells"));

        CliTestSupport.Result run = CliTestSupport.run(args("--quiet", "--no-analysis", "--resume", copy.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("20 cells (0 simulated, 20 from earlier records)");
        assertThat(modifiedTimes(copy.resolve("cells"))).isEqualTo(recordTimes);
        for (String file : List.of(StressStep.REQUEST_SCALING.fileName(), StressStep.GPU_SCALING.fileName(),
                StressStep.KBINS_SENSITIVITY.fileName(), StressStep.ALL_RESULTS_FILE, StressStep.TIMINGS_FILE)) {
            assertThat(bytes(copy).get(file)).as(file).isEqualTo(before.get(file));
        }
    }

    @Test
    void resumingAnInterruptedFolderRunsOnlyTheMissingCellsAndEndsWithTheSameBytes() throws IOException {
        Path copy = copyOf(parallel, "interrupted");
        // what a kill -9 during step 2 leaves: the records of the cells that had finished, no tables yet
        for (String file : STEP_FILES) {
            Files.delete(copy.resolve(file));
        }
        List<String> missing = List.of("step1-static-g1-n2000-r0", "step2-multi_bin-k4-g4-n2000-r0",
                "step2-multi_bin-k4-g8-n2000-r0");
        for (String id : missing) {
            Files.delete(copy.resolve("cells").resolve(id + ".json"));
        }
        try (Stream<Path> step3 = Files.list(copy.resolve("cells"))) {
            for (Path record : step3.filter(p -> p.getFileName().toString().startsWith("step3")).toList()) {
                Files.delete(record);
            }
        }

        CliTestSupport.Result run = CliTestSupport.run(args("--threads", "2", "--quiet", "--no-analysis",
                "--resume", copy.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("20 cells (9 simulated, 11 from earlier records)");
        for (String file : STEP_FILES) {
            assertThat(Files.readAllBytes(copy.resolve(file))).as(file).isEqualTo(Files.readAllBytes(parallel.resolve(file)));
        }
    }

    @Test
    void stepThreeAloneTakesTheBestGpuCountFromStepTwoOfTheFolder() throws IOException {
        Path copy = copyOf(parallel, "step3");
        Files.delete(copy.resolve(StressStep.KBINS_SENSITIVITY.fileName()));
        Files.delete(copy.resolve(StressStep.ALL_RESULTS_FILE));

        CliTestSupport.Result run = CliTestSupport.run(args("--step3-only", "--quiet", "--no-analysis",
                "--resume", copy.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("read from " + StressStep.GPU_SCALING.fileName());
        for (String file : STEP_FILES) {
            assertThat(Files.readAllBytes(copy.resolve(file))).as(file).isEqualTo(Files.readAllBytes(parallel.resolve(file)));
        }
    }

    @Test
    void stepThreeAloneInAnEmptyFolderRunsAtTheGivenGpuCount() {
        Path out = shared.resolve("step3-given");
        CliTestSupport.Result run = CliTestSupport.run(args("--step3-only", "--best-gpu-count", "2", "--quiet",
                "--no-analysis", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(out.resolve(StressStep.KBINS_SENSITIVITY.fileName()));
        assertThat(rows).hasSize(6).extracting(r -> r.get("gpus")).containsOnly("2");
        assertThat(ResultsCsv.read(out.resolve(StressStep.ALL_RESULTS_FILE))).hasSize(6);
        assertThat(out.resolve(StressStep.GPU_SCALING.fileName())).doesNotExist();
    }

    @Test
    void stepThreeAloneWithoutStepTwoResultsOrAGpuCountIsAUsageError() {
        Path out = shared.resolve("no-step2");
        CliTestSupport.Result run = CliTestSupport.run(args("--step3-only", "--out", out.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("derives a value from step step2_gpu_scaling").contains("give the value with a flag");
        assertThat(out).doesNotExist();
    }

    @Test
    void flagMistakesExitWithStatusTwoAndWriteNothing() {
        Path out = shared.resolve("mistakes");
        List<List<String>> mistakes = List.of(
                List.of("--step1-only", "--step2-only"),
                List.of("--max-gpus", "0"),
                List.of("--threads", "0"),
                List.of("--replications", "0"),
                List.of("--rps-scale", "-1"),
                List.of("--workload", "no_such_workload"),
                List.of("--best-gpu-count", "16"),
                List.of("--router", "no_such_router"),
                List.of("--resume", out.resolve("missing").toString()));
        for (List<String> mistake : mistakes) {
            List<String> argv = new ArrayList<>(List.of(args("--out", out.toString())));
            if (mistake.get(0).equals("--resume")) {
                argv = new ArrayList<>(List.of(args()));
            }
            argv.addAll(mistake);
            CliTestSupport.Result run = CliTestSupport.run(argv.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", mistake)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", mistake)).startsWith("servesim: ").doesNotContain("\tat ");
            assertThat(out).as(String.join(" ", mistake)).doesNotExist();
        }
    }

    @Test
    void aFolderMadeWithOtherSettingsIsNotResumedNorTouched() throws IOException {
        Path copy = copyOf(parallel, "other-settings");
        byte[] config = Files.readAllBytes(copy.resolve("config.json"));
        CliTestSupport.Result run = CliTestSupport.run(args("--seed", "7", "--quiet", "--no-analysis",
                "--resume", copy.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("was made with other settings");
        assertThat(copy.resolve("config.json")).hasBinaryContent(config);
        assertThat(copy.resolve(PlanFolder.INCOMPLETE_MARKER)).doesNotExist();
    }

    @Test
    void aFinishedFolderGivenAgainToOutIsRefusedAndLeftAlone() throws IOException {
        Path copy = copyOf(parallel, "finished-again");
        byte[] config = Files.readAllBytes(copy.resolve("config.json"));
        CliTestSupport.Result run = CliTestSupport.run(args("--quiet", "--no-analysis", "--out", copy.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("servesim: --out " + copy).contains("not empty").contains("--force");
        assertThat(copy.resolve("config.json")).hasBinaryContent(config);
        assertThat(copy.resolve(PlanFolder.INCOMPLETE_MARKER)).doesNotExist();
    }

    @Test
    void aPlanFileSetsTheAxesTheConfigThePolicyParametersAndFlagsWinOverBoth() throws IOException {
        Path plan = Files.writeString(shared.resolve("my-plan.yaml"), """
                experiment: stress
                file_prefix: comprehensive_stress_results
                base: {workload: stress, router: {type: least_loaded}}
                ladders:
                  requests: [1000, 5000]
                load: {scale: 50}
                steps:
                  - name: step1_request_scaling
                    id: "step1-{scheduler.type}[-k{scheduler.bins}]-g{gpus}-n{workload.requests}"
                    axes:
                      - workload.requests: {ladder: requests}
                      - {scheduler: [{type: static}, {type: multi_bin, bins: 2}], gpus: [1, 2]}
                """);
        Path config = Files.writeString(shared.resolve("scenario.yaml"), "scheduler: {type: static, batch_size: 16}\n");
        Path out = shared.resolve("configured");
        CliTestSupport.Result run = CliTestSupport.run("stress", "--plan", plan.toString(), "--config", config.toString(),
                "--step1-only", "--max-requests", "1500", "--quiet", "--no-analysis", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(out.resolve(StressStep.REQUEST_SCALING.fileName()));
        assertThat(rows).extracting(r -> r.get("cell_id")).containsExactly("step1-static-g1-n1000-r0",
                "step1-multi_bin-k2-g2-n1000-r0", "step1-static-g1-n1500-r0", "step1-multi_bin-k2-g2-n1500-r0");
        assertThat(rows).extracting(r -> r.get("rps_scale")).containsOnly("50.0");
        assertThat(out.resolve(StressStep.GPU_SCALING.fileName())).doesNotExist();
        assertThat(ConfigMapper.json().readTree(out.resolve("config.json").toFile())
                .at("/scenario/scheduling/scheduler/batch_size").asInt()).isEqualTo(16);
    }

    @Test
    void aPlanSectionInTheConfigIsRefusedWithTheWayToAPlanFile() throws IOException {
        Path config = Files.writeString(shared.resolve("old-plan.yaml"), "plan:\n  requests: [1000]\n");
        CliTestSupport.Result run = CliTestSupport.run("stress", "--config", config.toString(), "--quiet", "--out",
                shared.resolve("refused").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("plan: section", "servesim plan show stress").doesNotContain("at io.servesim");
        assertThat(shared.resolve("refused")).doesNotExist();
    }

    @Test
    void perRequestWritesOneGzippedRowPerRequestOfEachCell() throws IOException {
        Path out = shared.resolve("per-request");
        CliTestSupport.Result run = CliTestSupport.run("stress", "--plan", "stress-legacy", "--step2-only", "--max-requests", "500", "--max-gpus", "2",
                "--per-request", "--quiet", "--no-analysis", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String id : List.of("step2-multi_bin-k4-g1-n500-r0", "step2-multi_bin-k4-g2-n500-r0")) {
            Path file = out.resolve("requests").resolve(id + ".csv.gz");
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text.lines()).hasSize(501).first().asString().startsWith("request_id,profile,arrival_s");
            }
        }
    }

    private static JsonNode step(JsonNode analysis, StressStep step) {
        for (JsonNode node : analysis.get("steps")) {
            if (node.get("step").asText().equals(step.stepName())) {
                return node;
            }
        }
        throw new AssertionError("no step " + step.stepName() + " in the analysis");
    }

    private static Path copyOf(Path source, String name) throws IOException {
        Path target = shared.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    private static Map<String, byte[]> bytes(Path dir) throws IOException {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return contents;
    }

    private static Map<String, FileTime> modifiedTimes(Path dir) throws IOException {
        Map<String, FileTime> times = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                times.put(file.getFileName().toString(), Files.getLastModifiedTime(file));
            }
        }
        return times;
    }
}
