package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CapacityCommandTest {
    private static final String SCENARIO = """
            seed: 3
            workload:
              requests: 300
              profiles:
                - name: chat
                  rate_per_second: 5
                  prompt: {type: uniform, min: 50, max: 400}
                  output: {type: uniform, min: 20, max: 200}
                  sla: {ttft_seconds: 0.5, tpot_seconds: 0.05}
            """;

    @Test
    void writesTheCapacityTheSlaAndEveryProbe(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("capacity", "--config", config.toString(), "--tolerance", "0.1",
                "--max-probes", "8", "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = ConfigMapper.json().readTree(out.resolve("capacity.json").toFile());
        int probes = json.get("probes").size();
        assertThat(probes).isBetween(2, 8);
        assertThat(json.get("sla").get(0).get("ttft_s").asDouble()).isEqualTo(0.5);
        assertThat(json.get("target_goodput_fraction").asDouble()).isEqualTo(0.9);
        List<String> rows = Files.readAllLines(out.resolve("capacity_probes.csv"));
        assertThat(rows).hasSize(probes + 1);
        assertThat(rows.get(0)).startsWith("probe,phase,rps_scale,rate_rps");
        assertThat(result.out()).contains("capacity").contains("SLA        chat: TTFT 0.500 s");
    }

    @Test
    void aTargetAboveOneIsAUsageErrorThatWritesNothing(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        assertUsageError(dir, "target must be a goodput fraction in (0, 1], got 1.5",
                "capacity", "--config", config.toString(), "--target", "1.5");
    }

    @Test
    void aZeroToleranceIsAUsageErrorThatWritesNothing(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        assertUsageError(dir, "tolerance must be a relative tolerance in (0, 1), got 0.0",
                "capacity", "--config", config.toString(), "--tolerance", "0");
    }

    @Test
    void aMissingConfigIsAUsageErrorThatWritesNothing(@TempDir Path dir) {
        assertUsageError(dir, "does not exist", "capacity", "--config", dir.resolve("nope.yaml").toString());
        assertUsageError(dir, "Missing required option: '--config=FILE'", "capacity");
    }

    @Test
    void aWarmupFractionOfOneHalfIsAUsageError(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        assertUsageError(dir, "warmup_fraction must be in [0, 0.5), got 0.5",
                "capacity", "--config", config.toString(), "--warmup-fraction", "0.5");
        assertUsageError(dir, "warmup_fraction must be in [0, 0.5), got 0.5",
                "run", "--config", config.toString(), "--warmup-fraction", "0.5");
    }

    @Test
    void aClosedLoopHasNoRateToSearch(@TempDir Path dir) {
        assertUsageError(dir, "a closed_loop workload has none",
                "capacity", "--config", "../docs/examples/scenario-closed-loop.yaml");
    }

    private static void assertUsageError(Path dir, String message, String... args) {
        Path out = dir.resolve("out");
        String[] withOut = Stream.concat(Arrays.stream(args), Stream.of("--out", out.toString())).toArray(String[]::new);
        CliTestSupport.Result result = CliTestSupport.run(args.length == 1 ? args : withOut);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }
}
