package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.CapacityRecord;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.stress.StressStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code servesim stress --capacity} at a small scale: 2,000 requests at most (step 1: 1K and 2K), GPUs up to 2
 * (step 2: 1, 2), six K values (step 3) — 18 cells; capacity probes of 1,000 requests, tolerance 10 %. The
 * configurations are static, dynamic and multi_bin K=4 on 1 GPU, multi_bin K=4 on 2 and 4 GPUs, and multi_bin
 * K=1, 2, 8, 16, 32 on the best GPU count (K=4 there is one of the above): 10 searches for 18 cells.
 */
class StressCapacityTest {
    private static final String[] SMALL = {"stress", "--plan", "stress-legacy", "--max-requests", "2000", "--max-gpus", "2", "--capacity",
        "--capacity-requests", "1000", "--capacity-tolerance", "0.1"};
    private static final List<String> STEP_FILES = List.of(StressStep.REQUEST_SCALING.fileName(),
            StressStep.GPU_SCALING.fileName(), StressStep.KBINS_SENSITIVITY.fileName(), StressStep.ALL_RESULTS_FILE);
    private static final String CAPACITY = "capacity_rps_under_sla";
    private static final String PER_GPU = "capacity_rps_per_gpu";

    @TempDir
    static Path shared;
    static Path folder;
    static CliTestSupport.Result run;

    @BeforeAll
    static void runTheSmallPlanWithCapacity() {
        folder = shared.resolve("capacity");
        run = CliTestSupport.run(args("--threads", "2", "--quiet", "--out", folder.toString()));
    }

    private static String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of(SMALL));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void everyRowEndsWithAPositiveCapacityAndItsShareOfEachGpu() throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String file : STEP_FILES) {
            String header = Files.readAllLines(folder.resolve(file)).get(0);
            assertThat(header).as(file).endsWith("," + CAPACITY + "," + PER_GPU);
        }
        assertThat(CapacityRecord.COLUMNS).containsExactly(CAPACITY, PER_GPU);
        List<ResultRow> rows = ResultsCsv.read(folder.resolve(StressStep.ALL_RESULTS_FILE));
        assertThat(rows).hasSize(18);
        for (ResultRow row : rows) {
            assertThat(row.number(CAPACITY)).as(row.get("cell_id")).isPositive();
            // per GPU = capacity / (tp · pp · replicas), the same division the search makes
            assertThat(row.number(PER_GPU)).as(row.get("cell_id")).isEqualTo(row.number(CAPACITY) / row.number("gpus"));
        }
    }

    @Test
    void cellsOfTheSameConfigurationShareOneSearchWhateverTheirStepAndRequestCount() throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(folder.resolve(StressStep.ALL_RESULTS_FILE));
        Map<String, Set<String>> valuesByConfiguration = rows.stream().collect(Collectors.groupingBy(
                r -> r.get("scheduler") + " k=" + r.get("k_bins") + " g=" + r.get("gpus") + " " + r.get("router"),
                TreeMap::new, Collectors.mapping(r -> r.get(CAPACITY), Collectors.toCollection(TreeSet::new))));
        assertThat(valuesByConfiguration).hasSize(10).allSatisfy((configuration, values) ->
                assertThat(values).as(configuration).hasSize(1));
        // multi_bin K=4 on 1 GPU is in step 1 at 1K and 2K requests and in step 2: three cells, one search
        assertThat(rows.stream().filter(r -> r.get("cell_id").matches("step[12]-multi_bin-k4-g1-n\\d+-r0")))
                .hasSize(3).extracting(r -> r.get(CAPACITY)).containsOnly(
                        valuesByConfiguration.get("multi_bin k=4 g=1 least_loaded").iterator().next());
        try (Stream<Path> records = Files.list(folder.resolve("capacity"))) {
            assertThat(records.map(p -> p.getFileName().toString()).toList()).hasSize(10)
                    .contains("capacity-static-g1-least_loaded-r0.json", "capacity-multi_bin-k4-g4-least_loaded-r0.json");
        }
        assertThat(run.out()).contains("capacity under SLA: 10 searches (10 simulated, 0 from earlier records)");
        List<String> timings = Files.readAllLines(folder.resolve(StressStep.TIMINGS_FILE));
        assertThat(timings).hasSize(1 + 18 + 10);
        assertThat(timings.get(19)).startsWith("capacity-static-g1-least_loaded-r0,").endsWith(",,");
    }

    @Test
    void theFindingsOfEveryStepLeadWithCapacityPerGpu() throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        String findings = Files.readString(folder.resolve("findings.md"));
        List<ResultRow> rows = ResultsCsv.read(folder.resolve(StressStep.ALL_RESULTS_FILE));
        Matcher step = Pattern.compile("^## (Step \\d[^\\n]*)\\n\\nHeadline: [^\\n]*\\n\\n([^\\n]*)",
                Pattern.MULTILINE).matcher(findings);
        int steps = 0;
        while (step.find()) {
            steps++;
            assertThat(step.group(2)).as(step.group(1)).startsWith("Capacity per GPU under SLA: highest for ");
        }
        assertThat(steps).isEqualTo(3);
        // the step-2 lead names the configuration with the highest capacity per GPU, and its value
        ResultRow best = rows.stream().filter(r -> r.get("step").equals(StressStep.GPU_SCALING.stepName()))
                .max((a, b) -> Double.compare(a.number(PER_GPU), b.number(PER_GPU))).orElseThrow();
        assertThat(findings).contains("Capacity per GPU under SLA: highest for " + best.get("config_label") + " at ");
    }

    @Test
    void configJsonRecordsTheCapacitySettingsAndHowSearchesAreShared() throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode config = ConfigMapper.json().readTree(folder.resolve("config.json").toFile());
        assertThat(config.at("/plan/capacity/target").asDouble()).isEqualTo(0.9);
        assertThat(config.at("/plan/capacity/tolerance").asDouble()).isEqualTo(0.1);
        assertThat(config.at("/plan/capacity/requests").asLong()).isEqualTo(1000);
        assertThat(config.at("/plan/capacity/max_probes").asInt()).isEqualTo(30);
        assertThat(config.at("/capacity_searches").asText()).contains("one search per distinct configuration");
        assertThat(config.at("/analysis").asBoolean()).isTrue();
        assertThat(folder.resolve("INCOMPLETE")).doesNotExist();
    }

    @Test
    void resumingDoesNotRepeatFinishedSearchesAndEndsWithTheSameBytes() throws IOException {
        Path copy = copyOf(folder, "resumed");
        for (String file : STEP_FILES) {
            Files.delete(copy.resolve(file));
        }
        Files.delete(copy.resolve("cells").resolve("step1-dynamic-g1-n2000-r0.json"));
        Files.delete(copy.resolve("capacity").resolve("capacity-dynamic-g1-least_loaded-r0.json"));
        Files.delete(copy.resolve("capacity").resolve(onlyRecordOfK(copy, 16)));
        Map<String, byte[]> kept = recordBytes(copy.resolve("capacity"));

        CliTestSupport.Result resumed = CliTestSupport.run(args("--threads", "2", "--quiet", "--no-analysis",
                "--resume", copy.toString()));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("18 cells (1 simulated, 17 from earlier records)")
                .contains("capacity under SLA: 10 searches (2 simulated, 8 from earlier records)");
        Map<String, byte[]> after = recordBytes(copy.resolve("capacity"));
        kept.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        for (String file : STEP_FILES) {
            assertThat(Files.readAllBytes(copy.resolve(file))).as(file).isEqualTo(Files.readAllBytes(folder.resolve(file)));
        }
    }

    @Test
    void capacityValuesWithoutCapacityOrOutOfRangeAreUsageErrors() {
        Path out = shared.resolve("mistakes");
        List<List<String>> mistakes = List.of(
                // stress-legacy measures no capacity unless --capacity is given (the default plan does)
                List.of("stress", "--plan", "stress-legacy", "--max-requests", "1000", "--capacity-target", "0.8"),
                List.of("stress", "--max-requests", "1000", "--capacity", "--capacity-target", "1.5"),
                List.of("stress", "--max-requests", "1000", "--capacity", "--capacity-requests", "0"),
                List.of("stress", "--max-requests", "1000", "--capacity", "--capacity-tolerance", "0"));
        for (List<String> mistake : mistakes) {
            List<String> argv = new ArrayList<>(mistake);
            argv.addAll(List.of("--out", out.toString()));
            CliTestSupport.Result result = CliTestSupport.run(argv.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", mistake)).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", mistake)).startsWith("servesim: ").doesNotContain("\tat ");
            assertThat(out).as(String.join(" ", mistake)).doesNotExist();
        }
    }

    /** The file name of the one step-3 search of K = {@code k} (its GPU count is the detected best). */
    private static String onlyRecordOfK(Path dir, int k) throws IOException {
        try (Stream<Path> records = Files.list(dir.resolve("capacity"))) {
            return records.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("capacity-multi_bin-k" + k + "-g")).findFirst().orElseThrow();
        }
    }

    private static Map<String, byte[]> recordBytes(Path dir) throws IOException {
        Map<String, byte[]> bytes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                bytes.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return bytes;
    }

    private static Path copyOf(Path source, String name) throws IOException {
        Path target = shared.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }
}
