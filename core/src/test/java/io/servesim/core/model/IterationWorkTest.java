package io.servesim.core.model;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The FLOPs and HBM bytes of an iteration against hand calculations on Llama-2-7B and Mixtral-8x7B.
 *
 * <p>Llama-2-7B (L = 32, h = 4096, 32 heads of 128, FFN 11008, vocabulary 32000, BF16): a layer holds
 * 4·4096² + 3·4096·11008 = 202,375,168 weights and the LM head 32000·4096 = 131,072,000, so the weights are
 * 2 B · (32 · 202,375,168 + 131,072,000) = 13,214,154,752 bytes; a token passes 2 · 32 · 202,375,168 = 12,952,010,752
 * FLOPs of linear layers and 2 · 131,072,000 = 262,144,000 of LM head; one KV token is 32 · 2 · 4096 · 2 B = 524,288
 * bytes, and attending to it costs 2 · 32 · (4096 + 4096) = 524,288 FLOPs.
 */
class IterationWorkTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");
    private static final IterationWork LLAMA = RooflineStepTimeModel.singleGpu(CATALOG.model("Llama-2-7B"), H100).work();

    @Test
    void aDecodeIterationReadsTheWeightsOnceAndTheKvOfEveryContextToken() {
        // B = 4 sequences attending to 3,000 context tokens together.
        BatchShape decode = new BatchShape().setDecode(4, 3000);
        assertThat(LLAMA.hbmBytes(decode)).isEqualTo(13_214_154_752.0 + 3000 * 524_288.0);
        assertThat(LLAMA.flops(decode)).isEqualTo(4 * (12_952_010_752.0 + 262_144_000.0) + 3000 * 524_288.0);
        // the closed form's pieces: value at context 0 plus a slope per context token
        assertThat(LLAMA.decodeFlops(4, 0) + 3000 * LLAMA.flopsPerContextToken()).isEqualTo(LLAMA.flops(decode));
        assertThat(LLAMA.decodeHbmBytes(4, 0) + 3000 * LLAMA.hbmBytesPerContextToken()).isEqualTo(LLAMA.hbmBytes(decode));
    }

    @Test
    void aPrefillChunkComputesItsCausalPairsAndReadsTheCachedContext() {
        // A 512-token chunk after 256 cached tokens: 512 · (256 + 513 / 2) = 262,400 (query, key) pairs; one logit.
        BatchShape chunk = new BatchShape().addPrefillChunk(512, 256);
        assertThat(LLAMA.flops(chunk)).isEqualTo(512 * 12_952_010_752.0 + 262_144_000.0 + 262_400 * 524_288.0);
        assertThat(LLAMA.hbmBytes(chunk)).isEqualTo(13_214_154_752.0 + 256 * 524_288.0);
        assertThat(LLAMA.hbmBytes(new BatchShape())).isZero();
    }

    @Test
    void tensorParallelismSplitsTheWorkButNotItsSum() {
        RooflineStepTimeModel tp2 = new RooflineStepTimeModel(CATALOG.model("Llama-2-7B"), H100, 2, 2,
                TransferCost.NONE, TransferCost.NONE);
        BatchShape decode = new BatchShape().setDecode(4, 3000);
        assertThat(tp2.work().gpus()).isEqualTo(4);
        assertThat(tp2.work().flops(decode)).isEqualTo(LLAMA.flops(decode));
        assertThat(tp2.work().hbmBytes(decode)).isEqualTo(LLAMA.hbmBytes(decode));
        assertThat(LLAMA.peakFlopsPerSecondPerGpu()).isEqualTo(989e12);
        assertThat(LLAMA.peakBytesPerSecondPerGpu()).isEqualTo(3350e9);
    }

    @Test
    void anMoeIterationReadsOnlyTheExpertsItsTokensTouch() {
        // Mixtral-8x7B: attention 2·4096² + 2·4096·1024 = 41,943,040, router 4096·8 = 32,768, an expert
        // 3·4096·14336 = 176,160,768 weights. One token touches exactly k = 2 experts per layer:
        // 2 B · (32 · (41,943,040 + 32,768) + 131,072,000) + 2 B · 32 · 2 · 176,160,768 = 25,497,174,016 bytes
        // (KV context 0), and 2 · 32 · (41,943,040 + 32,768 + 2 · 176,160,768) + 2 · 131,072,000 FLOPs.
        IterationWork mixtral = RooflineStepTimeModel.singleGpu(CATALOG.model("Mixtral-8x7B"), H100).work();
        BatchShape one = new BatchShape().setDecode(1, 0);
        assertThat(mixtral.hbmBytes(one)).isCloseTo(25_497_174_016.0, within(1.0));
        assertThat(mixtral.flops(one)).isEqualTo(2.0 * 32 * (41_943_040 + 32_768 + 2 * 176_160_768L) + 2 * 131_072_000.0);
        // many tokens touch all 8 experts: the weight read tends to every expert of every layer
        double allExperts = 2.0 * (32 * (41_943_040 + 32_768 + 8 * 176_160_768L) + 131_072_000);
        assertThat(mixtral.hbmBytes(new BatchShape().setDecode(512, 0))).isCloseTo(allExperts, within(allExperts * 1e-9));
    }
}
