package io.servesim.experiments.cli;

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
}
