package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.stress.StressStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No lost work: the stress plan runs in a child JVM, is killed with SIGKILL ({@link Process#destroyForcibly()}) as
 * soon as its first cell record exists, and is resumed in this JVM; the result tables must be byte-identical to an
 * uninterrupted run of the same plan, and nothing temporary may remain.
 *
 * <p>The plan: 20,000 requests at most (step 1: 1K, 10K, 20K × 5 configurations), GPUs up to 4 (step 2: 1, 2, 4),
 * six K values (step 3) — 24 cells on one thread, a few seconds in all, so the kill lands mid-run. Should the
 * child finish first anyway (a very fast machine), the test still checks that resuming the finished folder
 * simulates nothing and keeps the bytes.
 */
class StressKillResumeTest {
    private static final List<String> PLAN = List.of("stress", "--plan", "stress-legacy", "--max-requests", "20000", "--max-gpus", "4",
            "--threads", "1", "--quiet", "--no-analysis");
    private static final int CELLS = 24;
    private static final List<String> STEP_FILES = List.of(StressStep.REQUEST_SCALING.fileName(),
            StressStep.GPU_SCALING.fileName(), StressStep.KBINS_SENSITIVITY.fileName(), StressStep.ALL_RESULTS_FILE);
    private static final Pattern SUMMARY = Pattern.compile(CELLS + " cells \\((\\d+) simulated, (\\d+) from earlier records\\)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPlanKilledMidRunResumesToTheBytesOfAnUninterruptedRunAndLeavesNothingTemporary() throws Exception {
        Path killed = dir.resolve("killed");
        Path log = dir.resolve("child.log");
        Process child = startPlanInChildJvm(killed, log);
        boolean aliveAtKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && cellRecords(killed).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            aliveAtKill = child.isAlive();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ends after SIGKILL").isTrue();
        } finally {
            child.destroyForcibly();
        }
        boolean interrupted = child.exitValue() != 0;
        if (!aliveAtKill) {
            assertThat(child.exitValue()).as("the child ended on its own: " + Files.readString(log)).isZero();
        }
        Set<String> recordsAtKill = cellRecords(killed);
        assertThat(recordsAtKill).as("a cell record existed before the kill").isNotEmpty();

        if (interrupted) {
            // what an interruption leaves: the marker, complete records, tables (if any) holding only recorded cells
            assertThat(killed.resolve(PlanFolder.INCOMPLETE_MARKER)).as("an interrupted folder says so").isRegularFile();
            for (String record : recordsAtKill) {
                JsonNode json = ConfigMapper.json().readTree(killed.resolve("cells").resolve(record + ".json").toFile());
                assertThat(json.get("cell_id").asText()).isEqualTo(record);
            }
            for (String file : STEP_FILES) {
                if (Files.exists(killed.resolve(file))) {
                    assertThat(ResultsCsv.read(killed.resolve(file))).extracting(r -> r.get("cell_id"))
                            .allMatch(recordsAtKill::contains);
                }
            }
        }
        // a temporary file as a kill between writing a record and renaming it into place leaves it
        Files.createDirectories(killed.resolve("cells"));
        Files.writeString(killed.resolve("cells").resolve(".step3-multi_bin-k8-g4-n20000-r0.json4711.tmp"), "{\"cell_id\" : \"st");

        CliTestSupport.Result resumed = CliTestSupport.run(plan("--resume", killed.toString()));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        Matcher summary = SUMMARY.matcher(resumed.out());
        assertThat(summary.find()).as(resumed.out()).isTrue();
        assertThat(Integer.parseInt(summary.group(2))).as("cells taken from the records of the killed run")
                .isEqualTo(recordsAtKill.size());
        assertThat(Integer.parseInt(summary.group(1))).isEqualTo(CELLS - recordsAtKill.size());
        if (!interrupted) {
            assertThat(Integer.parseInt(summary.group(1))).as("resuming a finished folder simulates nothing").isZero();
        }

        Path reference = dir.resolve("uninterrupted");
        CliTestSupport.Result uninterrupted = CliTestSupport.run(plan("--out", reference.toString()));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();
        for (String file : STEP_FILES) {
            assertThat(Files.readAllBytes(killed.resolve(file))).as(file).isEqualTo(Files.readAllBytes(reference.resolve(file)));
        }
        assertThat(timedCells(killed)).isEqualTo(timedCells(reference)).hasSize(CELLS);
        assertThat(killed.resolve(PlanFolder.INCOMPLETE_MARKER)).doesNotExist();
        try (Stream<Path> files = Files.walk(killed)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary or hidden file remains").noneMatch(name -> name.startsWith(".") || name.endsWith(".tmp"));
        }
    }

    private static String[] plan(String... more) {
        List<String> all = new ArrayList<>(PLAN);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code servesim stress …} in a new JVM with this JVM's java binary and class path. */
    private static Process startPlanInChildJvm(Path out, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), ServeSimCli.class.getName()));
        command.addAll(List.of(plan("--out", out.toString())));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Ids of the cells with a record in {@code cells/} (records are renamed into place whole). */
    private static Set<String> cellRecords(Path folder) throws IOException {
        Path cells = folder.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(cells)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json") && !name.startsWith("."))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .collect(Collectors.toSet());
        }
    }

    /** The cell ids of the timings file, in order (the timings themselves are wall-clock and differ). */
    private static List<String> timedCells(Path folder) throws IOException {
        return Files.readAllLines(folder.resolve(StressStep.TIMINGS_FILE)).stream().skip(1)
                .map(line -> line.substring(0, line.indexOf(','))).toList();
    }

}
