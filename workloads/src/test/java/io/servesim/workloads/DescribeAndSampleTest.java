package io.servesim.workloads;

import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DescribeAndSampleTest {

    @Test
    void describeGivesAnalyticAndSampledLengthsPerProfile() {
        WorkloadDescription description = WorkloadDescription.describe(Presets.load("mixed").withRpsScale(2), 1, 20_000);
        assertThat(description.profiles()).extracting(WorkloadDescription.Row::profile)
                .containsExactly("large_prompt", "long_generation");
        // 4 req/s · 0.5 · 2 = 4 req/s each
        assertThat(description.profiles()).allSatisfy(row -> assertThat(row.requestRatePerSecond()).isEqualTo(4.0));
        assertThat(description.total().requestRatePerSecond()).isEqualTo(8.0);
        assertThat(description.total().sampledRequests()).isEqualTo(20_000);
        for (WorkloadDescription.Row row : description.profiles()) {
            WorkloadDescription.Lengths output = row.output();
            assertThat(output.sampledMean()).isCloseTo(output.analyticMean(), within(output.analyticMean() * 0.03));
        }
        // Uniform(1000, 3000) prompts: mean 2000
        assertThat(description.profiles().get(1).prompt().analyticMean()).isEqualTo(2000.0, within(1e-9));
        assertThat(description.toTable()).contains("large_prompt", "long_generation", "analytic", "sampled");
    }

    @Test
    void sampleHasTheHeaderAndOneLinePerRequest() throws IOException {
        StringWriter text = new StringWriter();
        long written = WorkloadSampler.write(Presets.load("heavy"), 7, 500, text);
        List<String> lines = text.toString().lines().toList();
        assertThat(written).isEqualTo(500);
        assertThat(lines).hasSize(501);
        assertThat(lines.get(0))
                .isEqualTo("arrival_s,prompt_tokens,output_tokens,profile,session_id,turn,prefix_id,prefix_tokens");
    }

    @Test
    void aSharedPrefixSampleReplaysWithTheSamePromptIdentities(@TempDir Path folder) throws IOException {
        WorkloadSpec shared = Presets.load("shared_prefix");
        Path csv = folder.resolve("sample.csv");
        try (Writer out = Files.newBufferedWriter(csv)) {
            WorkloadSampler.write(shared, 5, 400, out);
        }
        WorkloadSource original = Workload.compile(shared.withRequests(400)).newSource(5);
        WorkloadSource replay = Workload.compile(WorkloadYaml.parse("""
                profiles:
                  - name: replay
                    arrival: {type: trace, path: '%s'}
                """.formatted(csv))).newSource(5);
        int withPrefix = 0;
        for (int i = 0; i < 400; i++) {
            RequestSpec expected = original.next();
            RequestSpec actual = replay.next();
            assertThat(actual.prefixId()).isEqualTo(expected.prefixId());
            assertThat(actual.prefixTokens()).isEqualTo(expected.prefixTokens());
            assertThat(actual.sessionId()).isEqualTo(expected.sessionId());
            withPrefix += expected.prefixId() >= 0 ? 1 : 0;
        }
        assertThat(withPrefix).as("the preset gives most requests a shared prefix").isGreaterThan(300);
    }

    @Test
    void sampleFileReplaysAsAPlainTrace(@TempDir Path folder) throws IOException {
        WorkloadSpec stress = Presets.load("stress");
        Path csv = folder.resolve("sample.csv");
        try (Writer out = Files.newBufferedWriter(csv)) {
            WorkloadSampler.write(stress, 3, 300, out);
        }
        WorkloadSource original = Workload.compile(stress.withRequests(300)).newSource(3);
        WorkloadSource replay = Workload.compile(WorkloadYaml.parse("""
                profiles:
                  - name: replay
                    arrival: {type: trace, path: '%s'}
                """.formatted(csv))).newSource(3);
        for (int i = 0; i < 300; i++) {
            RequestSpec expected = original.next();
            RequestSpec actual = replay.next();
            assertThat(actual.arrivalTime()).isEqualTo(expected.arrivalTime());
            assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
            assertThat(actual.outputTokens()).isEqualTo(expected.outputTokens());
        }
        assertThat(replay.next()).isNull();
    }

    private static final String CLOSED_LOOP = """
            name: bench
            requests: 1000
            profiles:
              - name: clients
                arrival: {type: closed_loop, concurrency: 32, think_time_seconds: 0.5}
                prompt: {type: uniform, min: 100, max: 300}
                output: {type: fixed, value: 128}
            """;

    @Test
    void describeSaysAClosedLoopsLoadIsAnOutcome() {
        WorkloadDescription description = WorkloadDescription.describe(WorkloadYaml.parse(CLOSED_LOOP), 1, 5_000);

        assertThat(description.closedLoop().concurrency()).isEqualTo(32);
        assertThat(description.total().requestRatePerSecond()).isNaN();
        assertThat(description.total().sampledRequests()).isEqualTo(5_000);
        assertThat(description.total().prompt().sampledMean()).isCloseTo(200, within(3.0));
        assertThat(description.toTable())
                .contains("closed loop, 32 clients, think time 0.5 s (constant)")
                .contains("offered load is an outcome")
                .contains("outcome")
                .doesNotContain("NaN");
    }

    @Test
    void aClosedLoopCannotBeSampledWithoutARun() {
        WorkloadSpec spec = WorkloadYaml.parse(CLOSED_LOOP);
        StringWriter text = new StringWriter();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkloadSampler.write(spec, 1, 10, text))
                .isInstanceOf(io.servesim.core.config.ConfigException.class)
                .hasMessageContaining("closed_loop");
        assertThat(text.toString()).isEmpty();
    }
}
