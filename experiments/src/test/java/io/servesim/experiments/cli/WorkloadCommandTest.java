package io.servesim.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadCommandTest {

    @Test
    void describeShowsAnalyticAndSampledLengthsPerProfile() {
        CliTestSupport.Result result = CliTestSupport.run("workload", "describe", "heavy", "--samples", "20000");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("doc_processor").contains("extreme_context").contains("analytic").contains("sampled");
    }

    @Test
    void sampleWritesTheRequestedNumberOfRows(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sample.csv");
        CliTestSupport.Result result = CliTestSupport.run("workload", "sample", "stress", "--requests", "250", "--out", csv.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(251).first().asString().startsWith("arrival_s,prompt_tokens,output_tokens");
    }

    @Test
    void anUnknownPresetIsAUsageErrorListingThePresets() {
        CliTestSupport.Result result = CliTestSupport.run("workload", "describe", "nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("stress").contains("heavy");
    }
}
