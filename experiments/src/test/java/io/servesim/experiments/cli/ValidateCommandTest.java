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
    void theQuickSuiteComparesTheModelWithHeldOutMeasurementsAndSaysWhatEachRowCompares(@TempDir Path dir)
            throws Exception {
        CliTestSupport.Result result = CliTestSupport.run("validate", "--quick", "--out", dir.toString());
        assertThat(result.out()).contains("M/M/1").contains("M/D/1").contains("Little").contains("multi-bin K=8")
                .contains("physics: H100-SXM model vs measured Llama-3.1-8B/tp2/layers.csv iteration, held out (2048 rows")
                .contains("physics: H100-SXM model vs measured Mixtral-8x7B-v0.1/tp4/attention.csv decode attention")
                .contains("physics: A100-80GB model vs measured BLOOM-176B/a100-80gb/tp8 token, held out");
        List<String> lines = Files.readAllLines(dir.resolve("validation.csv"));
        assertThat(lines.get(0)).isEqualTo("check,predicted,simulated,unit,relative_error,tolerance,pass");
        // Theory rows all pass; the status is 1 exactly when a physics row misses its tolerance.
        assertThat(lines.stream().filter(l -> l.contains("queueing:") || l.contains("batching:")))
                .hasSize(7).allSatisfy(line -> assertThat(line).endsWith("true"));
        boolean physicsFails = lines.stream().anyMatch(l -> l.contains("physics:") && l.endsWith("false"));
        assertThat(result.exitCode()).isEqualTo(physicsFails ? ValidateCommand.CHECK_FAILED : 0);
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
        // docs/model.md: Llama-2-7B on one H100, decode of 32 sequences of 1000 tokens: a CUDA graph, memory-bound GEMMs.
        CliTestSupport.Result result = CliTestSupport.run("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM",
                "--decode-batch", "32", "--kv-len", "1000", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = ConfigMapper.json().readTree(result.out());
        assertThat(json.get("compute_bound").asBoolean()).isFalse();
        assertThat(json.get("cuda_graph").asBoolean()).isTrue();
        JsonNode terms = json.get("terms_ms");
        assertThat(terms.get("gemm").asDouble() + terms.get("attention").asDouble() + terms.get("elementwise").asDouble()
                + terms.get("communication").asDouble() + terms.get("overhead").asDouble())
                .isCloseTo(json.get("step_ms").asDouble(), within(1e-9));
        assertThat(json.get("memory_gib_per_gpu").get("kv_blocks").asLong()).isEqualTo(7307);
        // Work: 32 · 13,214,154,752 FLOPs (2 per weight per token, LM head included) + 32,000 context tokens · 524,288
        // attention FLOPs; weights 13,214,154,752 bytes read once + 32,000 KV tokens of 524,288 bytes. MBU is the
        // bytes over 3,350 GB/s · step, MFU the FLOPs over 989 TFLOP/s · step.
        assertThat(json.get("flops").asDouble()).isEqualTo(439_630_168_064.0);
        assertThat(json.get("hbm_bytes").asDouble()).isEqualTo(29_991_370_752.0);
        double step = json.get("step_ms").asDouble() * 1e-3;
        assertThat(json.get("mbu").asDouble()).isCloseTo(29_991_370_752.0 / (3350e9 * step), within(1e-12));
        assertThat(json.get("mfu").asDouble()).isCloseTo(439_630_168_064.0 / (989e12 * step), within(1e-12));
        CliTestSupport.Result prefill = CliTestSupport.run("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM",
                "--prefill-tokens", "2000");
        assertThat(prefill.out()).contains("GEMMs compute-bound, eager").contains("GEMMs (with LM head)");
    }

    @Test
    void steptimeWithPipelineStagesPrintsEachStage() {
        CliTestSupport.Result result = CliTestSupport.run("steptime", "--model", "Llama-2-70B", "--gpu", "H100-SXM",
                "--tp", "4", "--pp", "2", "--decode-batch", "32", "--kv-len", "1000");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("stage 0").contains("stage 1").contains("transfer").contains("iteration")
                .contains("over 8 GPUs: MFU");
    }
}
