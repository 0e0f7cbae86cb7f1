package io.servesim.core.memory;

import io.servesim.core.config.ConfigException;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class KvCacheSizingTest {

    private static final Catalog CATALOG = Catalog.load();
    private static final GpuSpec A100_80 = CATALOG.gpu("A100-80GB");
    private static final ModelSpec LLAMA_13B = CATALOG.model("Llama-2-13B");
    private static final ModelSpec LLAMA_70B = CATALOG.model("Llama-2-70B");

    @Test
    void llama13BOnOneA100With80GiBHolds3748Blocks() {
        // usable  = 80 GiB · 0.9                                         = 72 GiB = 77,309,411,328 B
        // weights = (40 · 317,194,240 + 2 · 32000 · 5120) params · 2 B   = 26,030,899,200 B = 24.243 GiB
        // reserve = 2 GiB                                                = 2,147,483,648 B
        // free    = 77,309,411,328 − 26,030,899,200 − 2,147,483,648      = 49,131,028,480 B = 45.757 GiB
        // block   = 16 tokens · 819,200 B (2 · 40 · 40 · 128 · 2)         = 13,107,200 B
        // blocks  = ⌊49,131,028,480 / 13,107,200⌋ = ⌊3748.4⌋             = 3748 (59,968 tokens)
        MemoryFit.Fits fit = KvCacheSizing.plan(LLAMA_13B, A100_80, 1, 1, 0.9).orThrow();
        assertThat(fit.blocks()).isEqualTo(3748);
        assertThat(fit.tokens()).isEqualTo(59_968);
        assertThat(fit.weightsGiBPerGpu()).isCloseTo(24.243, within(0.001));
        assertThat(fit.kvCacheGiBPerGpu()).isCloseTo(45.757, within(0.001));
        assertThat(fit.describe()).contains("usable 72.00 GiB", "weights 24.24 GiB", "3748 blocks of 16 tokens");
    }

    @Test
    void tensorParallelSplitsWeightsAndKvHeadsOverItsGpus() {
        // Llama-2-70B, tp = 4: weights 137.95e9 B / 4 = 32.119 GiB per GPU; KV per token per GPU
        // = 327,680 / 4 = 81,920 B; blocks = ⌊(72 − 32.119 − 2) GiB / (16 · 81,920 B)⌋ = ⌊31,032.0⌋ = 31,032.
        MemoryFit.Fits fit = KvCacheSizing.plan(LLAMA_70B, A100_80, 4, 1, 0.9).orThrow();
        assertThat(fit.weightsGiBPerGpu()).isCloseTo(32.119, within(0.001));
        assertThat(fit.kvBytesPerTokenPerGpu()).isEqualTo(81_920);
        assertThat(fit.blocks()).isEqualTo(31_032);
    }

    @Test
    void pipelineStagesHoldTheirLayersAndTheFirstStageTheEmbedding() {
        // Llama-2-70B, pp = 4: the first stage holds 20 layers + the embedding:
        // (20 · 855,638,016 + 32000 · 8192) · 2 B = 32.363 GiB; KV per token per GPU = 327,680 · 20/80 = 81,920 B;
        // blocks = ⌊(72 − 32.363 − 2) GiB / 1,310,720 B⌋ = 30,832.
        MemoryFit.Fits fit = KvCacheSizing.plan(LLAMA_70B, A100_80, 1, 4, 0.9).orThrow();
        assertThat(fit.weightsGiBPerGpu()).isCloseTo(32.363, within(0.001));
        assertThat(fit.kvBytesPerTokenPerGpu()).isEqualTo(81_920);
        assertThat(fit.blocks()).isEqualTo(30_832);
    }

    @Test
    void middleStagesHoldOnlyTheirLayersAndTheStagesAddUpToTheModel() {
        // Llama-2-70B, pp = 4, 20 layers per stage: a middle stage holds 20 · 855,638,016 · 2 B = 34,225,520,640 B;
        // the first adds the embedding and the last the LM head, 32000 · 8192 · 2 B = 524,288,000 B each.
        // KV per token: 327,680 · 20/80 = 81,920 B on every stage.
        assertThat(LLAMA_70B.stageWeightBytes(4, 1)).isEqualTo(34_225_520_640.0);
        assertThat(LLAMA_70B.stageWeightBytes(4, 0)).isEqualTo(34_225_520_640.0 + 524_288_000);
        assertThat(LLAMA_70B.stageWeightBytes(4, 3)).isEqualTo(LLAMA_70B.stageWeightBytes(4, 0));
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            sum += LLAMA_70B.stageWeightBytes(4, s);
            assertThat(LLAMA_70B.stageKvBytesPerToken(4, s)).isEqualTo(81_920);
        }
        assertThat(sum).isEqualTo(LLAMA_70B.weightBytes());
        assertThat(LLAMA_70B.stageWeightBytes(1, 0)).isEqualTo(LLAMA_70B.weightBytes());
    }

    @Test
    void weightsLargerThanTheGpuDoNotFitAndSayWhy() {
        // Llama-2-70B on one A100-80GB: weights 128.48 GiB > usable 72 GiB.
        MemoryFit fit = KvCacheSizing.plan(LLAMA_70B, A100_80, 1, 1, 0.9);
        assertThat(fit).isInstanceOf(MemoryFit.DoesNotFit.class);
        assertThat(fit.describe()).contains("Llama-2-70B does not fit on A100-80GB", "weights 128.48 GiB per GPU",
                "usable 72.00 GiB");
        assertThatThrownBy(fit::orThrow).isInstanceOf(ConfigException.class).hasMessageContaining("weights 128.48 GiB");
    }

    @Test
    void utilizationOutsideTheUnitIntervalIsAConfigError() {
        assertThatThrownBy(() -> KvCacheSizing.plan(LLAMA_13B, A100_80, 1, 1, 1.2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gpu_memory_utilization must be in (0, 1], got 1.2");
    }

    @Test
    void mixtral8x7BNeedsTwo80GBGpusForItsEightySevenGiBOfExperts() {
        // 46,702,526,464 weights · 2 B = 86.99 GiB: more than the usable 79.6 · 0.9 = 71.64 GiB of one H100
        ModelSpec mixtral = CATALOG.model("Mixtral-8x7B");
        for (GpuSpec gpu : new GpuSpec[] {CATALOG.gpu("H100-SXM"), A100_80}) {
            MemoryFit one = KvCacheSizing.plan(mixtral, gpu, 1, 1, 0.9);
            assertThat(one).isInstanceOf(MemoryFit.DoesNotFit.class);
            assertThat(one.describe()).contains("weights 86.99 GiB per GPU");
            // TP 2: 43.49 GiB per GPU; on the H100: (71.64 − 43.49 − 2) GiB / (16 · 131,072 / 2 B) = 26.15 GiB / 1 MiB
            assertThat(KvCacheSizing.plan(mixtral, gpu, 2, 1, 0.9)).isInstanceOf(MemoryFit.Fits.class);
        }
        MemoryFit.Fits h100 = KvCacheSizing.plan(mixtral, CATALOG.gpu("H100-SXM"), 2, 1, 0.9).orThrow();
        assertThat(h100.weightsGiBPerGpu()).isCloseTo(43.495, within(0.001));
        assertThat(h100.blocks()).isEqualTo((long) Math.floor((79.6 * 0.9 - 86.99 / 2 - 2) * 1024));
    }

    @Test
    void latentAttentionKeepsTheWholeLatentOnEveryTensorParallelGpu() {
        // DeepSeek-V2-Lite: 31,104 KV bytes per token on each GPU at TP 1 and TP 2 alike
        ModelSpec lite = CATALOG.model("DeepSeek-V2-Lite");
        assertThat(KvCacheSizing.plan(lite, A100_80, 2, 1, 0.9).orThrow().kvBytesPerTokenPerGpu()).isEqualTo(31_104);
        assertThat(KvCacheSizing.plan(lite, A100_80, 1, 1, 0.9).orThrow().kvBytesPerTokenPerGpu()).isEqualTo(31_104);
    }
}
