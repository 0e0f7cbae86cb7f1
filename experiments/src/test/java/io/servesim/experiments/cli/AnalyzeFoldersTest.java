package io.servesim.experiments.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code analyze} on folders of single runs and capacity searches, alone and together. */
class AnalyzeFoldersTest {
    @TempDir
    static Path shared;
    static Path scenario;

    @BeforeAll
    static void writeAScenario() throws IOException {
        scenario = Files.writeString(shared.resolve("s.yaml"), """
                deployment: {model: Llama-2-7B, gpu: H100-SXM}
                workload:
                  name: small
                  requests: 400
                  profiles:
                    - name: chat
                      rate_per_second: 8
                      arrival: {type: poisson}
                      prompt: {type: uniform, min: 200, max: 1000}
                      output: {type: uniform, min: 50, max: 400}
                      sla: {ttft_seconds: 2.0, tpot_seconds: 0.1, normalized_latency_seconds_per_token: 0.2}
                """);
    }

    @Test
    void aRunFolderGetsPercentilesAndDistributionsAndACapacityFolderItsProbesTogether() throws IOException {
        Path run1 = shared.resolve("run-a");
        Path run2 = shared.resolve("run-b");
        Path capacity = shared.resolve("cap");
        assertThat(CliTestSupport.run("run", "--config", scenario.toString(), "--out", run1.toString()).exitCode()).isZero();
        assertThat(CliTestSupport.run("run", "--config", scenario.toString(), "--set", "deployment.tp=2", "--out",
                run2.toString()).exitCode()).isZero();
        CliTestSupport.Result searched = CliTestSupport.run("capacity", "--config", scenario.toString(), "--requests", "300",
                "--max-probes", "5", "--out", capacity.toString());
        assertThat(searched.exitCode()).as(searched.err()).isZero();

        // one run folder: analysed in place
        CliTestSupport.Result one = CliTestSupport.run("analyze", run1.toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        String findings = Files.readString(run1.resolve("findings.md"));
        assertThat(findings).contains("| run-a |").contains("TTFT p95");
        assertThat(run1.resolve("figures/run_ttft_cdf.png")).isRegularFile();

        // two runs and a capacity search: together, in --out
        Path out = shared.resolve("together");
        CliTestSupport.Result all = CliTestSupport.run("analyze", run1.toString(), run2.toString(), capacity.toString(),
                "--out", out.toString());
        assertThat(all.exitCode()).as(all.err()).isZero();
        String together = Files.readString(out.resolve("findings.md"));
        assertThat(together).contains("| run-a |", "| run-b |", "| cap |", "## Capacity searches");
        assertThat(out.resolve("figures/capacity_goodput_vs_rate.png")).isRegularFile();
        assertThat(out.resolve("figures/run_e2e_cdf.svg")).isRegularFile();
    }

    @Test
    void aFolderOfNoKnownKindIsRefusedNamingWhatEachKindHolds() throws IOException {
        Path empty = Files.createDirectories(shared.resolve("empty"));
        CliTestSupport.Result run = CliTestSupport.run("analyze", empty.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not a results folder", "summary.json", "capacity.json")
                .doesNotContain("at io.servesim");
    }
}
