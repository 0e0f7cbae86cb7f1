package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.PlanFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a results folder promises: its files are readable by whoever the umask lets read a new file, a finished or
 * foreign folder is not overwritten unless asked, a run that stops before its last file leaves the INCOMPLETE marker,
 * and every mistake of a configuration is reported at once.
 */
class ResultsFolderTest {
    private static final String SCENARIO = """
            seed: 3
            engine: {max_num_seqs: 16}
            workload:
              requests: 30
              profiles:
                - name: chat
                  rate_per_second: 10
                  arrival: {type: poisson}
                  prompt: {type: uniform, min: 10, max: 100}
                  output: {type: uniform, min: 5, max: 20}
            """;

    @Test
    void resultFilesHaveThePermissionsTheUmaskGivesAnyNewFile(@TempDir Path dir) throws IOException {
        // Whatever this process's umask is, a result file must get the permissions a plain new file gets: under
        // umask 022 that is rw-r--r--, readable by the group and others (a temporary file would be rw-------).
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO);
        Path out = dir.resolve("out");

        CliTestSupport.Result run = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String file : List.of("summary.json", "requests.csv")) {
            assertThat(Files.getPosixFilePermissions(out.resolve(file))).as(file).isEqualTo(plain);
        }
        assertThat(plain).as("umask 022 or more permissive on this machine")
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void figuresReportsAndTheirFoldersHaveTheModeTheUmaskGivesAnyNewOne(@TempDir Path dir) throws IOException {
        // Under umask 022: files rw-r--r--, folders rwxr-xr-x. A folder made by Files.createTempDirectory (as a
        // staging folder moved into place would be) is rwx------ whatever the umask, and the group cannot read it.
        Set<PosixFilePermission> plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Set<PosixFilePermission> plainFolder = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("d")));
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO);
        Path run = dir.resolve("run");
        Path validate = dir.resolve("validate");

        assertThat(CliTestSupport.run("run", "--config", config.toString(), "--out", run.toString(),
                "--timeseries-interval", "0.5").exitCode()).isZero();
        assertThat(CliTestSupport.run("validate", "--against", ValidateAgainstCommandTest.SILICON, "--out",
                validate.toString()).exitCode()).isZero();

        for (Path folder : List.of(run, validate)) {
            List<Path> written;
            try (Stream<Path> walk = Files.walk(folder)) {
                written = walk.toList();
            }
            assertThat(written).as("figures").anyMatch(f -> f.toString().endsWith(".png"))
                    .anyMatch(f -> f.toString().endsWith(".svg"));
            for (Path p : written) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                        .isEqualTo(Files.isDirectory(p) ? plainFolder : plainFile);
            }
        }
    }

    @Test
    void aFinishedRunLeavesNoMarkerAndARunThatFailsWhileWritingLeavesIncomplete(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO);
        Path finished = dir.resolve("finished");
        assertThat(CliTestSupport.run("run", "--config", config.toString(), "--out", finished.toString()).exitCode()).isZero();
        assertThat(finished.resolve(PlanFolder.INCOMPLETE_MARKER)).doesNotExist();

        // requests.csv cannot be written (a folder holds its name): summary.json is written, the run then fails.
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("requests.csv"));
        CliTestSupport.Result run = CliTestSupport.run("run", "--config", config.toString(), "--out", broken.toString(),
                "--force");
        assertThat(run.exitCode()).isNotZero();
        assertThat(broken.resolve("summary.json")).isRegularFile();
        assertThat(broken.resolve(PlanFolder.INCOMPLETE_MARKER)).isRegularFile();
        try (Stream<Path> files = Files.list(broken)) {
            assertThat(files).noneMatch(AtomicFiles::isTemporary);
        }
    }

    @Test
    void outIntoANonEmptyFolderIsRefusedUnlessForced(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine\n");

        CliTestSupport.Result refused = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("servesim: --out " + out + ": the folder is not empty");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).containsExactly(out.resolve("notes.txt"));
        }

        CliTestSupport.Result forced = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString(),
                "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(out.resolve("summary.json")).isRegularFile();
        assertThat(out.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void everyMistakeOfAConfigIsReportedAtOnceEachOnItsLine(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO
                .replace("seed: 3", "seed: 3.5\ndeployment: {tp: 1.5, replicas: null}")
                .replace("max_num_seqs: 16", "max_num_seqs: 16, bogus: 1")
                .replace("rate_per_second: 10", "rate_per_second: -10"));
        Path out = dir.resolve("out");

        CliTestSupport.Result run = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        List<String> lines = run.err().strip().lines().toList();
        assertThat(lines).allMatch(line -> line.startsWith("servesim: "));
        // seed, the deployment (its first mistake: Jackson stops within a section), the engine and the workload
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("servesim: seed: ");
        assertThat(lines.get(1)).startsWith("servesim: deployment.tp: expected a whole number");
        assertThat(lines.get(2)).startsWith("servesim: engine.bogus: unknown field");
        assertThat(lines.get(3)).startsWith("servesim: workload.profiles[0].rate_per_second");
        assertThat(out).doesNotExist();
    }

    @Test
    void setAddressesAListEntryByIndex(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), SCENARIO);
        Path out = dir.resolve("out");

        CliTestSupport.Result run = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString(),
                "--set", "workload.profiles[0].rate_per_second=25", "--no-requests-csv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = ConfigMapper.json().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/scenario/workload/profiles/0/rate_per_second").asDouble()).isEqualTo(25.0);
    }

    @Test
    void servesimWithoutACommandPrintsTheUsageAndExitsTwo() {
        CliTestSupport.Result run = CliTestSupport.run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: servesim").contains("stress").contains("run");
        assertThat(run.out()).isEmpty();
    }
}
