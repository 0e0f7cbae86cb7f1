package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code servesim validate} and {@code servesim steptime} as users call them. */
class ValidateCommandTest {

    @Test
    void theQuickSuitePassesAndWritesOneRowPerCheck(@TempDir Path dir) throws Exception {
        CliTestSupport.Result result = CliTestSupport.run("validate", "--quick", "--out", dir.toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("All 11 checks pass.").contains("M/M/1").contains("M/D/1").contains("Little")
                .contains("multi-bin K=8").contains("physics: roofline vs Llama-2-7B/H100-SXM/tp1 prefill");
        List<String> lines = Files.readAllLines(dir.resolve("validation.csv"));
        assertThat(lines.get(0)).isEqualTo("check,predicted,simulated,unit,relative_error,tolerance,pass");
        assertThat(lines).hasSize(12).allSatisfy(line -> assertThat(line).doesNotEndWith("false"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("validation.csv"));
        }
    }

    @Test
    void aProfileTheRooflineMissesFailsTheSuiteWithStatusOne(@TempDir Path dir) throws Exception {
        // Measured times twice the roofline's (decode batch 1 at ~7.5 ms on an H100): a 50 % error against 25 %.
        Path profile = Files.writeString(dir.resolve("slow.csv"), """
                model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms
                Llama-2-7B,H100-SXM,1,2000,0,0,104.2
                Llama-2-7B,H100-SXM,1,0,1,1088,15.2
                """);
        CliTestSupport.Result result = CliTestSupport.run("validate", "--quick", "--profile", profile.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(result.exitCode()).isEqualTo(ValidateCommand.CHECK_FAILED);
        assertThat(result.out()).contains("FAIL").contains("2 of 9 checks fail.");
        assertThat(dir.resolve("out/validation.csv")).exists();
    }

    @Test
    void steptimeReproducesTheWorkedExampleOfTheModelPage() throws Exception {
        // docs/model.md: Llama-2-7B on one H100, decode of 32 sequences of 1000 tokens = 13.66 ms, memory-bound.
        CliTestSupport.Result result = CliTestSupport.run("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM",
                "--decode-batch", "32", "--kv-len", "1000", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = ConfigMapper.json().readTree(result.out());
        assertThat(json.get("step_ms").asDouble()).isCloseTo(13.66, within(0.01));
        assertThat(json.get("compute_bound").asBoolean()).isFalse();
        assertThat(json.get("memory_gib_per_gpu").get("kv_blocks").asLong()).isEqualTo(7307);
        // Prefill of a 2000-token prompt = 52.11 ms, compute-bound.
        CliTestSupport.Result prefill = CliTestSupport.run("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM",
                "--prefill-tokens", "2000");
        assertThat(prefill.out()).contains("step      52.1").contains("compute-bound").contains("linear-layer compute");
    }

    @Test
    void steptimeWithPipelineStagesPrintsEachStage() {
        CliTestSupport.Result result = CliTestSupport.run("steptime", "--model", "Llama-2-70B", "--gpu", "H100-SXM",
                "--tp", "4", "--pp", "2", "--decode-batch", "32", "--kv-len", "1000");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("stage 0").contains("stage 1").contains("transfer").contains("iteration");
    }
}
