package io.servesim.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelSpecTest {

    private static final Catalog CATALOG = Catalog.load();

    private static ModelSpec parse(String json) {
        try {
            return ConfigMapper.convert(ConfigMapper.json().readTree(json), ModelSpec.class, "model");
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static final String TINY = """
            {"name": "Tiny", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 2, "ffn_hidden": 256,
             "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2, "gated_mlp": true%s}""";

    @Test
    void qwen3With64HeadsOf128OnAWidthOf5120SizesQAndOByHeadsTimesHeadDim() {
        ModelSpec qwen = CATALOG.model("Qwen3-32B");
        assertThat(qwen.headDim()).isEqualTo(128);
        assertThat(qwen.queryWidth()).isEqualTo(8192);     // 64 · 128, not the hidden 5120
        assertThat(qwen.kvWidth()).isEqualTo(1024);        // 8 · 128
        // Q and O: 2 · 5120 · 8192 = 83,886,080; K and V: 2 · 5120 · 1024 = 10,485,760;
        // SwiGLU MLP: 3 · 5120 · 25600 = 393,216,000; sum 487,587,840
        assertThat(qwen.paramsPerLayer()).isEqualTo(487_587_840L);
        // 64 · 487,587,840 + 2 · 151936 · 5120 = 31,205,621,760 + 1,555,824,640 (not tied)
        assertThat(qwen.tiedEmbeddings()).isFalse();
        assertThat(qwen.totalParams()).isEqualTo(32_761_446_400L);
        // 2 (K, V) · 64 layers · 8 KV heads · 128 · 2 bytes; hidden / heads = 80 would give 163,840
        assertThat(qwen.kvBytesPerToken()).isEqualTo(262_144);
    }

    @Test
    void headDimDefaultsToHiddenOverHeads() {
        ModelSpec llama = CATALOG.model("Llama-2-7B");
        assertThat(llama.headDim()).isEqualTo(128);       // 4096 / 32
        assertThat(llama.queryWidth()).isEqualTo(llama.hidden());
        // with d = h / H, Q and O are h² each: 4 · 4096² + 3 · 4096 · 11008
        assertThat(llama.paramsPerLayer()).isEqualTo(202_375_168L);
    }

    /** Parameter counts that Hugging Face reports for the safetensors weights (norms included; ServeSim leaves them out). */
    @ParameterizedTest(name = "{0} has about {1} B parameters")
    @CsvSource({
            "Llama-2-7B, 6.74", "Llama-2-13B, 13.0", "Llama-2-70B, 69.0", "Llama-3-8B, 8.03", "Llama-3-70B, 70.6",
            "Llama-3.1-8B, 8.03", "Llama-3.1-70B, 70.6", "Qwen3-32B, 32.8", "CodeLlama-34B, 33.7", "Mistral-7B, 7.24",
            "BLOOM-176B, 176.25", "Mixtral-8x7B, 46.7", "Mixtral-8x22B, 141", "Qwen3-30B-A3B, 30.5",
            "DeepSeek-V2-Lite, 15.7", "Qwen3-235B-A22B, 235", "DeepSeek-V3, 671"})
    void totalParamsMatchThePublishedSizeWithinOnePercent(String name, double publishedBillions) {
        double billions = CATALOG.model(name).totalParams() / 1e9;
        assertThat(billions).isCloseTo(publishedBillions, within(publishedBillions * 0.01));
    }

    @Test
    void newCatalogModelsHaveTheirConfigJsonArchitecture() {
        // meta-llama/Llama-3.1-8B: 32 layers, 4096, 32 heads, 8 KV heads, 14336, vocab 128256, 131072 positions
        ModelSpec llama8 = CATALOG.model("Llama-3.1-8B");
        assertThat(llama8.totalParams()).isEqualTo(8_029_995_008L);  // 32 · 218,103,808 + 2 · 128256 · 4096
        assertThat(llama8.maxContextTokens()).isEqualTo(131_072);
        assertThat(CATALOG.model("Llama-3.1-70B").maxContextTokens()).isEqualTo(131_072);
        // codellama/CodeLlama-34b-hf: 48 · (2·8192² + 2·8192·1024 + 3·8192·22016) + 2 · 32000 · 8192
        assertThat(CATALOG.model("CodeLlama-34B").totalParams()).isEqualTo(33_743_175_680L);
        assertThat(CATALOG.model("CodeLlama-34B").maxContextTokens()).isEqualTo(16_384);
        // mistralai/Mistral-7B-v0.1: the Llama-3-8B layer with a 32000 vocabulary; its sliding window is not modelled
        ModelSpec mistral = CATALOG.model("Mistral-7B");
        assertThat(mistral.totalParams()).isEqualTo(7_241_465_856L); // 32 · 218,103,808 + 2 · 32000 · 4096
        assertThat(mistral.kvBytesPerToken()).isEqualTo(131_072);    // 2 · 32 · 8 · 128 · 2
        assertThat(mistral.note()).contains("sliding-window");
    }

    @Test
    void anExplicitHeadDimLiftsTheRuleThatHeadsDivideHidden() {
        assertThatThrownBy(() -> parse(TINY.formatted("").replace("\"heads\": 4", "\"heads\": 3").replace("\"kv_heads\": 2", "\"kv_heads\": 1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.hidden must be a positive multiple of heads (3) when head_dim is absent, got 64");
        ModelSpec odd = parse(TINY.formatted(", \"head_dim\": 32").replace("\"heads\": 4", "\"heads\": 3")
                .replace("\"kv_heads\": 2", "\"kv_heads\": 1"));
        // Q, O: 2 · 64 · 96; K, V: 2 · 64 · 32; MLP 3 · 64 · 256
        assertThat(odd.paramsPerLayer()).isEqualTo(12_288 + 4_096 + 49_152);
    }

    @Test
    void aHeadDimBelowOneIsAnError() {
        assertThatThrownBy(() -> parse(TINY.formatted(", \"head_dim\": 0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.head_dim must be >= 1, got 0");
    }

    @Test
    void tiedEmbeddingsStoreTheVocabularyMatrixOncePerReplicaAndOncePerEndStage() {
        ModelSpec untied = parse(TINY.formatted(""));
        ModelSpec tied = parse(TINY.formatted(", \"tied_embeddings\": true"));
        // 1000 · 64 = 64,000 parameters per vocabulary matrix
        assertThat(untied.totalParams() - tied.totalParams()).isEqualTo(64_000);
        assertThat(tied.stageWeightBytes(1, 0)).isEqualTo(tied.weightBytes());
        // with two stages the first holds the embedding and the last its own copy as the LM head
        assertThat(tied.stageWeightBytes(2, 0) + tied.stageWeightBytes(2, 1)).isEqualTo(untied.weightBytes());
    }

    /** Active parameters the model cards give (Mixtral 12.9 B, Qwen3-30B-A3B 3.3 B), embeddings included. */
    @ParameterizedTest(name = "{0} activates about {1} B parameters per token")
    @CsvSource({"Mixtral-8x7B, 12.9", "Mixtral-8x22B, 39.1", "Qwen3-30B-A3B, 3.35", "Qwen3-235B-A22B, 22"})
    void activeParamsMatchThePublishedCountWithinOnePercent(String name, double publishedBillions) {
        double billions = CATALOG.model(name).activeParams() / 1e9;
        assertThat(billions).isCloseTo(publishedBillions, within(publishedBillions * 0.01));
    }

    @Test
    void mixtral8x7BHoldsAllEightExpertsInEveryLayer() {
        ModelSpec mixtral = CATALOG.model("Mixtral-8x7B");
        // attention 2 · 4096² + 2 · 4096 · 1024 = 41,943,040; one expert 3 · 4096 · 14336 = 176,160,768;
        // router 4096 · 8 = 32,768; a layer 41,943,040 + 32,768 + 8 · 176,160,768 = 1,451,261,952
        assertThat(mixtral.attentionParams()).isEqualTo(41_943_040L);
        assertThat(mixtral.expertParams()).isEqualTo(176_160_768L);
        assertThat(mixtral.paramsPerLayer()).isEqualTo(1_451_261_952L);
        // 32 · 1,451,261,952 + 2 · 32000 · 4096 = 46,702,526,464 (86.99 GiB in bf16)
        assertThat(mixtral.totalParams()).isEqualTo(46_702_526_464L);
        assertThat(mixtral.weightBytes() / (1L << 30)).isCloseTo(86.99, within(0.005));
        // one token uses 2 experts: 32 · (41,943,040 + 32,768 + 2 · 176,160,768) + 262,144,000 = 12,879,659,008
        assertThat(mixtral.activeParams()).isEqualTo(12_879_659_008L);
        // its attention is Mistral's GQA: 2 · 32 · 8 · 128 · 2 B = 131,072 B of KV per token
        assertThat(mixtral.kvBytesPerToken()).isEqualTo(131_072);
    }

    @Test
    void latentAttentionCachesOneCompressedLatentPerTokenAndLayer() {
        ModelSpec lite = CATALOG.model("DeepSeek-V2-Lite");
        // 27 layers · (kv_lora_rank 512 + qk_rope_head_dim 64) · 2 B = 31,104 B, not 2 · 16 heads · 128 · 2 B · 27
        assertThat(lite.kvBytesPerToken()).isEqualTo(31_104);
        assertThat(lite.kvCacheSplitByTensorParallel()).isFalse();
        assertThat(lite.kvBytesPerTokenPerGpu(1, 0, 4)).isEqualTo(31_104);
        // attention: q 2048 · 16 · 192 + kv down 2048 · 576 + kv up 512 · 16 · 256 + o 16 · 128 · 2048 = 13,762,560
        assertThat(lite.attentionParams()).isEqualTo(13_762_560L);
        // one dense layer (MLP 3 · 2048 · 10944) and 26 MoE layers of 64 routed + 2 shared experts of 3 · 2048 · 1408
        assertThat(lite.denseLayers()).isEqualTo(1);
        assertThat(lite.moeLayers()).isEqualTo(26);
        assertThat(lite.denseLayerParams()).isEqualTo(13_762_560L + 67_239_936L);
        assertThat(lite.paramsPerLayer()).isEqualTo(13_762_560L + 2048L * 64 + 66L * 8_650_752);
    }

    @Test
    void theDenseLayersOfAnMoeModelSitOnTheFirstPipelineStage() {
        ModelSpec lite = CATALOG.model("DeepSeek-V2-Lite");
        // 27 layers on 2 stages: 14 (layer 0 dense) and 13
        assertThat(lite.stageMoeLayers(2, 0)).isEqualTo(13);
        assertThat(lite.stageMoeLayers(2, 1)).isEqualTo(13);
        double first = (lite.denseLayerParams() + 13.0 * lite.paramsPerLayer() + lite.vocabParams()) * 2;
        assertThat(lite.stageWeightBytes(2, 0)).isEqualTo(first);
    }

    @Test
    void anExpertBlockWithMoreExpertsPerTokenThanExpertsIsAnError() {
        assertThatThrownBy(() -> parse(TINY.formatted(", \"moe\": {\"experts\": 4, \"experts_per_token\": 5,"
                + " \"expert_ffn_hidden\": 64}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("moe.experts_per_token must be in [1, experts (4)], got 5");
        assertThatThrownBy(() -> parse(TINY.formatted(", \"moe\": {\"experts\": 4, \"experts_per_token\": 2,"
                + " \"expert_ffn_hidden\": 64, \"dense_layers\": 2}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("moe.dense_layers must be < layers (2), got 2");
        assertThatThrownBy(() -> parse(TINY.formatted(", \"num_experts\": 8")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown field 'num_experts'");
    }

    @Test
    void routingSkewIsForMixturesOfExpertsOnly() {
        assertThat(CATALOG.model("Mixtral-8x7B").withRoutingSkew(1.5).moe().routingSkew()).isEqualTo(1.5);
        assertThatThrownBy(() -> CATALOG.model("Llama-2-7B").withRoutingSkew(1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing_skew needs a mixture-of-experts model; Llama-2-7B is dense");
    }
}
