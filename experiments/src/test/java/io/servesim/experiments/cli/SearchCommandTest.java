package io.servesim.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SearchCommandTest {
    private static final String BASE = """
            seed: 3
            deployment: {model: Llama-2-7B}
            workload:
              requests: 200
              profiles:
                - name: chat
                  rate_per_second: 5
                  prompt: {type: uniform, min: 50, max: 400}
                  output: {type: uniform, min: 20, max: 200}
                  sla: {ttft_seconds: 0.5, tpot_seconds: 0.05}
            """;

    private static void assertUsageError(Path dir, String message, String... args) {
        Path out = dir.resolve("out");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        CliTestSupport.Result result = CliTestSupport.run(all);
        assertThat(result.exitCode()).isEqualTo(ServeSimCli.USAGE_ERROR);
        assertThat(result.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void aBatchLimitThatIsNotSeqsColonTokensIsAUsageErrorThatWritesNothing(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("base.yaml"), BASE);
        assertUsageError(dir, "batch-limits: '256x8192' is not SEQS:TOKENS", "search", "--config", config.toString(),
                "--target-rps", "10", "--batch-limits", "256x8192");
    }

    @Test
    void aSchedulerTheBoundsDoNotCoverIsAUsageErrorNamingTheOthers(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("base.yaml"), BASE);
        assertUsageError(dir, "schedulers must each be one of [continuous, dynamic, multi_bin, simple, static]",
                "search", "--config", config.toString(), "--target-rps", "10", "--schedulers", "parallel_stream");
    }

    @Test
    void aGpuWithoutAPriceIsAUsageErrorBeforeAnySimulation(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("base.yaml"), BASE);
        assertUsageError(dir, "prices: no price for GPU L40S", "search", "--config", config.toString(),
                "--target-rps", "10", "--gpus", "L40S");
    }
}
