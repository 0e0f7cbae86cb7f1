package io.servesim.core.catalog;

import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.config.ConfigException;
import io.servesim.core.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CatalogTest {

    private final Catalog catalog = Catalog.load();

    @Test
    void bundledCatalogListsTheSevenGpusAndEighteenModels() {
        assertThat(catalog.gpuNames()).containsExactly(
                "A100-40GB", "A100-80GB", "H100-SXM", "H100-PCIe", "H200", "B200", "L40S");
        assertThat(catalog.modelNames()).containsExactly(
                "Llama-2-7B", "Llama-2-13B", "Llama-2-70B", "Llama-3-8B", "Llama-3-70B", "Llama-3.1-8B", "Llama-3.1-70B",
                "Qwen3-32B", "CodeLlama-34B", "Mistral-7B", "GPT-3-175B", "BLOOM-176B", "Mixtral-8x7B", "Mixtral-8x22B",
                "Qwen3-30B-A3B", "DeepSeek-V2-Lite", "Qwen3-235B-A22B", "DeepSeek-V3");
    }

    @Test
    void gpuSpecsCarryTheDatasheetNumbers() {
        GpuSpec h100 = catalog.gpu("H100-SXM");
        assertThat(h100.peakTflops()).isEqualTo(989);
        assertThat(h100.hbmBandwidthGBps()).isEqualTo(3350);
        assertThat(h100.nvlinkBandwidthGBps()).isEqualTo(900);
        assertThat(catalog.gpu("A100-40GB").hbmBandwidthGBps()).isEqualTo(1555);
        assertThat(catalog.gpu("A100-80GB").hbmBandwidthGBps()).isEqualTo(2039);
        assertThat(catalog.gpu("H200").hbmBandwidthGBps()).isEqualTo(4800);
        assertThat(catalog.gpu("L40S").nvlinkBandwidthGBps()).isEqualTo(64);
    }

    @Test
    void llama2With7BillionParametersHasTheRealArchitecture() {
        ModelSpec m = catalog.model("Llama-2-7B");
        // attention 4 · 4096² = 67,108,864; SwiGLU MLP 3 · 4096 · 11008 = 135,266,304
        assertThat(m.paramsPerLayer()).isEqualTo(202_375_168L);
        // 32 · 202,375,168 + 2 · 32000 · 4096 = 6,476,005,376 + 262,144,000
        assertThat(m.totalParams()).isEqualTo(6_738_149_376L);
        assertThat(m.weightBytes()).isEqualTo(2 * 6_738_149_376.0);
        assertThat(m.headDim()).isEqualTo(128);
        // 2 · 32 layers · 32 KV heads · 128 · 2 bytes
        assertThat(m.kvBytesPerToken()).isEqualTo(524_288);
        assertThat(m.maxContextTokens()).isEqualTo(4096);
    }

    @Test
    void llama3With70BillionParametersUsesGroupedQueryAttention() {
        ModelSpec m = catalog.model("Llama-3-70B");
        // 2 · 80 · 8 KV heads · 128 · 2 bytes
        assertThat(m.kvBytesPerToken()).isEqualTo(327_680);
        // 80 · (2·8192² + 2·8192·1024 + 3·8192·28672) + 2 · 128256 · 8192 ≈ 70.55e9
        assertThat(m.totalParams() / 1e9).isCloseTo(70.55, within(0.01));
        assertThat(m.maxContextTokens()).isEqualTo(8192);
    }

    @Test
    void gpt3HasTwoMlpMatricesWhenGatedMlpIsAbsent() {
        ModelSpec m = catalog.model("GPT-3-175B");
        // 4 · 12288² + 2 · 12288 · 49152 = 603,979,776 + 1,207,959,552
        assertThat(m.gatedMlp()).isFalse();
        assertThat(m.paramsPerLayer()).isEqualTo(1_811_939_328L);
        assertThat(m.totalParams() / 1e9).isCloseTo(175.2, within(0.1));
    }

    @Test
    void unknownNameIsAConfigErrorListingTheKnownNames() {
        assertThatThrownBy(() -> catalog.gpu("Z900"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gpu 'Z900' is not in the catalog; known: ")
                .hasMessageContaining("A100-80GB, H100-SXM");
        assertThatThrownBy(() -> catalog.model("Llama-4"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Llama-2-70B");
    }

    @Test
    void namesMatchIgnoringCase() {
        assertThat(catalog.model("llama-3.1-8b").name()).isEqualTo("Llama-3.1-8B");
        assertThat(catalog.model("QWEN3-32B").name()).isEqualTo("Qwen3-32B");
        assertThat(catalog.gpu("h100-sxm").name()).isEqualTo("H100-SXM");
    }

    @Test
    void anUnknownNameSuggestsTheNearOnes() {
        assertThatThrownBy(() -> catalog.model("llama3.1-8b"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model 'llama3.1-8b' is not in the catalog; did you mean Llama-3.1-8B? known: Llama-2-7B, ");
        assertThatThrownBy(() -> catalog.gpu("H100"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gpu 'H100' is not in the catalog; did you mean H100-SXM");
    }

    @Test
    void aUserEntryDifferingOnlyInCaseReplacesTheBundledOneInItsPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, """
                {"models": [
                  {"name": "llama-2-7b", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 2, "ffn_hidden": 256,
                   "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2}]}
                """);
        Catalog extended = Catalog.load(Optional.of(file));
        assertThat(extended.model("Llama-2-7B").layers()).isEqualTo(2);
        assertThat(extended.modelNames()).hasSameSizeAs(catalog.modelNames()).startsWith("llama-2-7b");
        assertThat(extended.models().source("LLAMA-2-7B")).isEqualTo(file.toString());
        assertThat(extended.models().source("Qwen3-32B")).isEqualTo(Catalog.BUNDLED);
    }

    @Test
    void twoEntriesOfOneFileWhoseNamesDifferOnlyInCaseAreAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("twice.json");
        String tiny = """
                {"name": "%s", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 2, "ffn_hidden": 256,
                 "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2}""";
        Files.writeString(file, "{\"models\": [" + tiny.formatted("Tiny") + ", " + tiny.formatted("TINY") + "]}");
        assertThatThrownBy(() -> Catalog.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models[1].name 'TINY' repeats models[0].name 'Tiny' (names are compared ignoring case)");
    }

    @Test
    void userFileAddsEntriesAndOverridesThoseWithAnExistingName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("my-catalog.json");
        Files.writeString(file, """
                {"gpus": [
                  {"name": "H100-SXM", "peak_tflops": 989, "peak_fp8_tflops": 1979, "hbm_gib": 79.6, "hbm_bandwidth_gbps": 3350,
                   "nvlink_bandwidth_gbps": 900, "calibration": {"source": "a test", "gemm_efficiency": 0.7,
                   "gemm_half_tokens": 0, "memory_efficiency": 0.9, "gemm_floor_micros": 0, "attention_efficiency": 0.5,
                   "attention_traffic_factor": 0, "attention_floor_micros": 0, "decode_attention_efficiency": 0.9,
                   "decode_attention_parallel_slots": 1, "decode_attention_per_head_micros": 0, "decode_attention_gqa_reuse": 0,
                   "elementwise_floor_micros": 0, "elementwise_traffic_factor": 0, "iteration_overhead_micros": 500,
                   "graph_iteration_overhead_micros": 500, "per_sequence_overhead_micros": 0,
                   "graph_floor_factor": 1, "graph_max_batch": 0}}],
                 "models": [
                  {"name": "Tiny", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 2, "ffn_hidden": 256,
                   "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2, "gated_mlp": true}]}
                """);
        Catalog extended = Catalog.load(Optional.of(file));
        assertThat(extended.gpu("H100-SXM").calibration().gemmEfficiency()).isEqualTo(0.7);
        assertThat(extended.model("Tiny").kvHeads()).isEqualTo(2);
        assertThat(extended.model("Llama-2-7B").layers()).isEqualTo(32);
    }

    @Test
    void invalidUserEntryNamesTheFieldThatIsWrong(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"models": [
                  {"name": "Odd", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 3, "ffn_hidden": 256,
                   "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2}]}
                """);
        assertThatThrownBy(() -> Catalog.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models[0].kv_heads must be >= 1 and divide heads (4), got 3");
    }
}
