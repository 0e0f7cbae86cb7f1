package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.servesim.core.observe.TraceRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run --trace-out / --trace-window} and {@code --timeseries-interval} through the command line. */
class RunObservabilityTest {
    private static final String SCENARIO = """
            seed: 7
            deployment: {model: Llama-2-7B, gpu: H100-SXM, replicas: 2}
            scheduler: {type: continuous}
            workload:
              requests: 1500
              profiles:
                - name: chat
                  rate_per_second: 30
                  prompt: {type: uniform, min: 100, max: 800}
                  output: {type: uniform, min: 20, max: 300}
            """;

    private static final JsonMapper STRICT = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static JsonSchema schema() throws Exception {
        try (InputStream in = TraceRecorder.class.getResourceAsStream("trace-events.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static long iterationEvents(JsonNode trace) {
        long n = 0;
        for (JsonNode event : trace.get("traceEvents")) {
            n += event.get("ph").asText().equals("X") ? 1 : 0;
        }
        return n;
    }

    @Test
    void aTenSecondTraceValidatesAgainstTheSchemaAndHasTheSteppedRunsIterations(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result jumped = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("a").toString(), "--trace-out", dir.resolve("a.json").toString(), "--trace-window", "20:30");
        CliTestSupport.Result stepped = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("b").toString(), "--set", "engine.fast_forward=false",
                "--trace-out", dir.resolve("b.json").toString(), "--trace-window", "20:30");
        assertThat(jumped.exitCode()).as(jumped.err()).isZero();
        assertThat(stepped.exitCode()).as(stepped.err()).isZero();

        JsonNode trace = STRICT.readTree(dir.resolve("a.json").toFile());
        Set<ValidationMessage> errors = schema().validate(trace);
        assertThat(errors).isEmpty();
        // at 30 req/s on two replicas every iteration lasts ~10-20 ms: hundreds per replica in 10 s
        assertThat(iterationEvents(trace)).isGreaterThan(500)
                .isEqualTo(iterationEvents(STRICT.readTree(dir.resolve("b.json").toFile())));
        assertThat(Files.readAllBytes(dir.resolve("a.json"))).isEqualTo(Files.readAllBytes(dir.resolve("b.json")));
        assertThat(jumped.out()).contains("iterations; open in ui.perfetto.dev");
    }

    @Test
    void theSchemaRejectsAnIterationWithoutItsBatch() throws Exception {
        JsonNode bad = STRICT.readTree("""
                {"displayTimeUnit": "ms", "traceEvents": [
                  {"name": "decode", "cat": "iteration", "ph": "X", "ts": 1, "dur": 2, "pid": 0, "tid": 0,
                   "args": {"prefill_tokens": 0, "decode_tokens": 4, "kv_blocks_used": 3}}]}
                """);
        assertThat(schema().validate(bad)).isNotEmpty();
    }

    @Test
    void theTimeSeriesIsTheSameSteppedOrFastForwardedAndDrawn(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO
                + "metrics: {timeseries_interval_seconds: 2}\n");
        CliTestSupport.Result jumped = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("a").toString());
        CliTestSupport.Result stepped = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("b").toString(), "--set", "engine.fast_forward=false");
        assertThat(jumped.exitCode()).as(jumped.err()).isZero();
        assertThat(stepped.exitCode()).as(stepped.err()).isZero();
        List<String> rows = Files.readAllLines(dir.resolve("a/timeseries.csv"));
        assertThat(rows.get(0)).isEqualTo("replica,time_s,queue_length,running,kv_blocks_used,kv_blocks_total,"
                + "iterations,tokens,tokens_per_iteration,busy_fraction");
        // 1,500 requests at 30 req/s arrive over ~50 s: two replicas, a sample every 2 s
        assertThat(rows.size()).isGreaterThan(1 + 2 * 20);
        assertThat(Files.readAllBytes(dir.resolve("a/timeseries.csv")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/timeseries.csv")));
        for (String figure : List.of("timeseries_requests", "timeseries_tokens", "timeseries_usage")) {
            assertThat(dir.resolve("a/figures/" + figure + ".png")).isNotEmptyFile();
        }
    }

    @Test
    void aBadTraceWindowOrIntervalIsAOneLineUsageErrorBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        for (String[] flags : List.of(
                new String[] {"--trace-out", dir.resolve("t.json").toString(), "--trace-window", "10-20"},
                new String[] {"--trace-out", dir.resolve("t.json").toString(), "--trace-window", "20:10"},
                new String[] {"--trace-window", "0:10"},
                new String[] {"--timeseries-interval", "0"})) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--config", config.toString(), "--out",
                    dir.resolve("out").toString()));
            args.addAll(List.of(flags));
            CliTestSupport.Result result = CliTestSupport.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", flags)).isEqualTo(2);
            assertThat(result.err()).contains(flags[flags.length - 2]).doesNotContain("\tat ");
            assertThat(dir.resolve("out")).doesNotExist();
            assertThat(dir.resolve("t.json")).doesNotExist();
        }
    }

    @Test
    void aRunOfferedTenTimesWhatItServesIsWarnedAboutAndShowsItlAndTtftWithoutQueueing(@TempDir Path dir)
            throws Exception {
        // one H100 serves this workload at ~12-15 req/s (docs/examples/scenario.yaml): 300 req/s is ~20x
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO
                .replace("replicas: 2", "replicas: 1").replace("rate_per_second: 30", "rate_per_second: 300"));
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("o").toString(), "--no-requests-csv");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("WARNING    offered load is", "massively overloaded")
                .contains("TTFT-q", "ITL", "input tokens/s");
        Path light = Files.writeString(dir.resolve("light.yaml"), SCENARIO
                .replace("replicas: 2", "replicas: 1").replace("rate_per_second: 30", "rate_per_second: 3"));
        CliTestSupport.Result normal = CliTestSupport.run("run", "--config", light.toString(), "--out",
                dir.resolve("p").toString(), "--no-requests-csv");
        assertThat(normal.exitCode()).as(normal.err()).isZero();
        assertThat(normal.out()).doesNotContain("WARNING");
    }
}
