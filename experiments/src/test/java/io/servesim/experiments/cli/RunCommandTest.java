package io.servesim.experiments.cli;

import io.servesim.core.config.ConfigMapper;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunCommandTest {
    private static final String SCENARIO = """
            seed: 7
            deployment: {model: Llama-2-7B, gpu: H100-SXM, replicas: 2}
            scheduler: {type: dynamic}
            router: {type: least_loaded}
            workload:
              requests: 3000
              profiles:
                - name: chat
                  rate_per_second: 30
                  prompt: {type: uniform, min: 100, max: 800}
                  output: {type: uniform, min: 20, max: 300}
            """;

    @Test
    void sameSeedWritesByteIdenticalFiles(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result first = CliTestSupport.run("run", "--config", config.toString(), "--out", dir.resolve("a").toString());
        CliTestSupport.Result second = CliTestSupport.run("run", "--config", config.toString(), "--out", dir.resolve("b").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(first.out()).contains("arrived 3,000");
        for (String file : new String[] {"summary.json", "requests.csv"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        assertThat(Files.readAllLines(dir.resolve("a/requests.csv"))).hasSize(3001);
        // strict JSON: no bare Infinity or NaN (the engine's unlimited queue timeout is null)
        var strict = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .disable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        var summary = strict.readTree(dir.resolve("a/summary.json").toFile());
        assertThat(summary.at("/scenario/engine/queue_timeout_seconds").isNull()).isTrue();
    }

    @Test
    void powerByUtilisationIsChosenPerRunAndChangesOnlyTheEnergy(@TempDir Path dir) throws Exception {
        // Same requests, same step times: only the energy columns follow the power model.
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result state = CliTestSupport.run("run", "--config", config.toString(), "--out",
                dir.resolve("state").toString());
        CliTestSupport.Result utilisation = CliTestSupport.run("run", "--config", config.toString(), "--set",
                "deployment.power_model=utilisation", "--out", dir.resolve("utilisation").toString());
        assertThat(utilisation.exitCode()).as(utilisation.err()).isZero();
        var json = io.servesim.core.config.ConfigMapper.json();
        var a = json.readTree(dir.resolve("state/summary.json").toFile());
        var b = json.readTree(dir.resolve("utilisation/summary.json").toFile());
        assertThat(b.at("/scenario/deployment/power_model").asText()).isEqualTo("utilisation");
        assertThat(b.findValue("ttft_mean_s")).isEqualTo(a.findValue("ttft_mean_s"));
        assertThat(b.findValue("mbu")).isEqualTo(a.findValue("mbu"));
        assertThat(b.findValue("energy_j").asDouble()).isPositive().isNotEqualTo(a.findValue("energy_j").asDouble());
    }

    @Test
    void aBadConfigExitsWithStatusTwoAndNamesTheFieldWithoutWritingAnything(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), SCENARIO.replace("replicas: 2", "replicas: -2"));
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("deployment.replicas must be >= 1").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", dir.resolve("nope.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.yaml").contains("does not exist");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", "x.yaml", "--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option");
    }

    @Test
    void setOverridesAKeyOfTheConfigWithTheTypeAFileWouldGiveIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", config.toString(), "--set", "deployment.replicas=3",
                "--set", "scheduler.type=continuous", "--set", "engine.chunked_prefill=true", "--out", dir.resolve("o").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        String summary = Files.readString(dir.resolve("o/summary.json"));
        assertThat(summary).contains("\"replicas\" : 3").contains("\"type\" : \"continuous\"").contains("\"chunked_prefill\" : true");
    }

    @Test
    void aMalformedSetIsAUsageErrorNamingTheFix(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result noEquals = CliTestSupport.run("run", "--config", config.toString(), "--set", "deployment.tp");
        assertThat(noEquals.exitCode()).isEqualTo(2);
        assertThat(noEquals.err()).contains("key.path=value");
        CliTestSupport.Result intoAValue = CliTestSupport.run("run", "--config", config.toString(), "--set", "seed.x=1");
        assertThat(intoAValue.exitCode()).isEqualTo(2);
        assertThat(intoAValue.err()).contains("seed is a single value");
        CliTestSupport.Result wrongType = CliTestSupport.run("run", "--config", config.toString(), "--set", "deployment.tp=two");
        assertThat(wrongType.exitCode()).isEqualTo(2);
        assertThat(wrongType.err()).contains("deployment").contains("tp");
    }

    @Test
    void aClosedLoopSummaryReportsClientsAndAchievedThroughputNotAnOfferedRate(@TempDir Path dir) throws Exception {
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", "../docs/examples/scenario-closed-loop.yaml",
                "--requests", "640", "--no-requests-csv", "--out", dir.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("arrived 640", "closed loop, 64 clients (offered load is an outcome): achieved")
                .doesNotContain("offered 0").doesNotContain("SATURATED");
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"closed_loop_clients\" : 64");
    }

    @Test
    void aFrontEndIsSetFromTheConfigSaidInTheSummaryAndCountedBeforeFirstScheduling(@TempDir Path dir)
            throws Exception {
        // 30 req/s on two replicas: little queueing, so the time before first scheduling (TTFT − TTFT-q) is under
        // 40 ms on average without a front end, and holds the front end's 40 ms for every request with one
        Path config = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        CliTestSupport.Result without = CliTestSupport.run("run", "--config", config.toString(), "--no-requests-csv",
                "--out", dir.resolve("none").toString());
        CliTestSupport.Result with = CliTestSupport.run("run", "--config", config.toString(), "--set",
                "engine.front_end_ms=40", "--no-requests-csv", "--out", dir.resolve("fe").toString());
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("front end  40.0 ms before every request's queue (engine.front_end_ms)");
        assertThat(without.out()).doesNotContain("front end");
        assertThat(Files.readString(dir.resolve("fe/summary.json"))).contains("\"front_end_ms\" : 40.0");
        assertThat(beforeFirstScheduling(dir.resolve("none"))).isLessThan(0.040);
        assertThat(beforeFirstScheduling(dir.resolve("fe"))).isGreaterThanOrEqualTo(0.040 - 1e-9);
    }

    /** Mean TTFT − mean TTFT-q of a run's summary, seconds. */
    private static double beforeFirstScheduling(Path run) throws Exception {
        JsonNode m = ConfigMapper.json().readTree(run.resolve("summary.json").toFile()).get("metrics");
        return m.get("ttft_mean_s").asDouble() - m.get("ttft_no_queue_mean_s").asDouble();
    }
}
