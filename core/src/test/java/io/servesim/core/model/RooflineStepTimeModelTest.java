package io.servesim.core.model;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand calculations use Llama-2-7B (L = 32, h = 4096, H = H_kv = 32, d = 128, f = 11008, paramsPerLayer
 * P = 202,375,168, LM head V·h = 131,072,000) on a made-up GPU with round coefficients: peak 1000 TFLOP/s,
 * 2000 GB/s; η∞ = 0.5, N½ = 100, μ = 0.8, τ_g = 5 µs; η_a = 0.4, γ_a = 2, τ_a = 4 µs; μ_a = 0.5, W = 128,
 * α = 0.1 µs; τ_e = 20 µs, γ_e = γ_f = 3 (no activation factor given), ψ = 1; O_e = 1000 µs, O_g = 200 µs, β = 10 µs, φ = 0.25, CUDA graphs up to 256.
 * So F·η∞ = 5e14 FLOP/s: 2P/(F·η∞) = 0.80950 µs per token, intercept 80.950 µs; weight read P·2 B/(M·μ) = 252.969 µs.
 */
class RooflineStepTimeModelTest {
    private static final double MICROS = 1e-6;
    private static final ModelSpec LLAMA_7B = Catalog.load().model("Llama-2-7B");
    private static final GpuCalibration ROUND = new GpuCalibration("test", null, 0.5, 100, 0.8, 5, 0.4, 2, 4, 0.5, 128, 0.1,
            0, 20, 3, null, null, 1000, 200, 10, null, 0.25, 256);
    private static final GpuSpec GPU = new GpuSpec("Round", 1000, 2000, 80, 2000, 900, ROUND);
    private final RooflineStepTimeModel single = RooflineStepTimeModel.singleGpu(LLAMA_7B, GPU);

    private static BatchShape decode(int sequences, int contextEach) {
        return new BatchShape().setDecode(sequences, (long) sequences * contextEach);
    }

    @Test
    void decodeIterationMatchesTheHandCalculation() {
        // B = 32 sequences of 1000 tokens, a CUDA graph (32 ≤ 256), per layer:
        //   GEMMs: compute 80.950 + 32 · 0.8095 = 106.85 µs < weights 252.969 µs, + 4 · φ · τ_g = 5   → 257.969 µs
        //   decode attention: 2 · 4096 · 2 B / (M · μ_a) = 16.384 ns per token, W/(B·H) = 0.125 < 1;
        //     32,000 tokens → 524.288 µs, + φ·τ_a = 1, + α · B · H = 102.4                           → 627.688 µs
        //   element-wise: γ_e · (2·4096 + 8192 + 11008) · 2 B / M = 82.176 ns per token; 32 → 2.630, + φ·τ_e = 5 → 7.630 µs
        //   layer = 893.287 µs; 32 layers = 28,585.17 µs
        // LM head: weights 262.144e6 B / 1.6e12 = 163.84 µs > compute 0.524 · (32 + 100) = 69.2 µs, + φ·τ_g = 1.25
        // host: O_g + β · 32 = 520 µs.  Total 28,585.17 + 165.09 + 520 = 29,270.26 µs
        BatchShape batch = decode(32, 1000);
        assertThat(single.cudaGraph(batch)).isTrue();
        assertThat(single.gemmSeconds(32, true)).isCloseTo(257.969 * MICROS, within(0.001 * MICROS));
        assertThat(single.attention().decodeSeconds(32, 32_000, 0.25)).isCloseTo(627.688 * MICROS, within(0.001 * MICROS));
        assertThat(single.elementwiseSeconds(32, true)).isCloseTo(7.630 * MICROS, within(0.001 * MICROS));
        assertThat(single.lmHeadSeconds(32, true)).isCloseTo(165.09 * MICROS, within(0.001 * MICROS));
        assertThat(single.stageSeconds(batch)).isCloseTo(29_270.26 * MICROS, within(0.01 * MICROS));
    }

    @Test
    void activationFactorAndFusionSplitTheElementwiseTraffic() {
        // γ_e = 3 for the norms and rotary (2·4096 + 8192 = 16,384 elements), γ_f = 1.5 for the activation (11,008):
        // (3 · 16,384 + 1.5 · 11,008) · 2 B / M = 65.664 ns per token; 32 tokens → 2.101 µs, + φ·τ_e = 5 → 7.101 µs.
        // Fused norms and rotary (ψ = 0.25) move a quarter of their traffic: (0.75 · 16,384 + 1.5 · 11,008) · 2 B / M
        // = 28.800 ns per token; 32 tokens → 0.922 µs; and launch a quarter of the kernels: ψ·φ·τ_e = 1.25 → 2.172 µs
        assertThat(elementwise(1.5, 1.0)).isCloseTo(7.101 * MICROS, within(0.001 * MICROS));
        assertThat(elementwise(1.5, 0.25)).isCloseTo(2.172 * MICROS, within(0.001 * MICROS));
        assertThat(ROUND.activationTrafficFactor()).isEqualTo(3.0);
        assertThat(ROUND.elementwiseFusion()).isEqualTo(1.0);
    }

    private static double elementwise(double activationFactor, double fusion) {
        GpuCalibration c = new GpuCalibration("test", null, 0.5, 100, 0.8, 5, 0.4, 2, 4, 0.5, 128, 0.1, 0, 20, 3,
                activationFactor, fusion, 1000, 200, 10, null, 0.25, 256);
        return RooflineStepTimeModel.singleGpu(LLAMA_7B, new GpuSpec("Round", 1000, 2000, 80, 2000, 900, c))
                .elementwiseSeconds(32, true);
    }

    @Test
    void prefillIterationMatchesTheHandCalculation() {
        // One 1000-token prompt, eager, per layer:
        //   GEMMs: 80.950 + 1000 · 0.8095007 = 890.451 µs > weights, + 4 · 5                           →  910.451 µs
        //   attention: 4 + 500,500 pairs · 4 · 4096 / (1000e12 · 0.4) = 20.500 + 1000 · 2 · 2 · 8192 · 2 B / M = 32.768 → 57.268 µs
        //   element-wise: 20 + 1000 · 82.176 ns                                                          →  102.176 µs
        //   layer = 1069.895 µs; 32 layers = 34,236.6 µs
        // LM head (1 logit token): weights 163.84 + τ_g 5 = 168.84 µs; host O_e + β = 1010 µs.  Total 35,415.5 µs
        BatchShape batch = new BatchShape().addPrefillChunk(1000, 0);
        assertThat(single.cudaGraph(batch)).isFalse();
        assertThat(single.gemmSeconds(1000, false)).isCloseTo(910.451 * MICROS, within(0.001 * MICROS));
        assertThat(single.attention().prefillSeconds(1000, 500_500, 0, 1)).isCloseTo(57.268 * MICROS, within(0.001 * MICROS));
        assertThat(single.stageSeconds(batch)).isCloseTo(35_415.5 * MICROS, within(0.1 * MICROS));
    }

    @Test
    void eachPromptPrefilledAddsItsHostTime() {
        // π = 500 µs per prompt chunk: the 1000-token prompt above costs 35,415.5 + 500 µs; two prompts of 500 tokens
        // (the same GEMM tokens, fewer attention pairs) pay π twice, on top of β for their two logits; a decode-only
        // iteration pays none.
        GpuCalibration c = new GpuCalibration("test", null, 0.5, 100, 0.8, 5, 0.4, 2, 4, 0.5, 128, 0.1, 0, 20, 3,
                null, null, 1000, 200, 10, 500.0, 0.25, 256);
        RooflineStepTimeModel withPrompts = RooflineStepTimeModel.singleGpu(LLAMA_7B,
                new GpuSpec("Round", 1000, 2000, 80, 2000, 900, c));
        BatchShape one = new BatchShape().addPrefillChunk(1000, 0);
        assertThat(withPrompts.stageSeconds(one) - single.stageSeconds(one)).isCloseTo(500 * MICROS, within(1e-12));
        BatchShape two = new BatchShape().addPrefillChunk(500, 0).addPrefillChunk(500, 0);
        assertThat(withPrompts.stageSeconds(two) - single.stageSeconds(two)).isCloseTo(1000 * MICROS, within(1e-12));
        BatchShape decode = decode(32, 1000);
        assertThat(withPrompts.stageSeconds(decode)).isEqualTo(single.stageSeconds(decode));
        assertThat(withPrompts.breakdown(two).overheadSeconds() - single.breakdown(two).overheadSeconds())
                .isCloseTo(1000 * MICROS, within(1e-12));
    }

    @Test
    void gemmEfficiencyGrowsWithTokensTowardsItsLimit() {
        // η(N) = η∞ · N / (N + N½): FLOP/s achieved = 2·P·N / compute(N).
        double atHalf = 2.0 * LLAMA_7B.paramsPerLayer() * 100 / single.layerGemms().computeSeconds(100) / 1000e12;
        double atMany = 2.0 * LLAMA_7B.paramsPerLayer() * 100_000 / single.layerGemms().computeSeconds(100_000) / 1000e12;
        assertThat(atHalf).isCloseTo(0.25, within(1e-9));
        assertThat(atMany).isCloseTo(0.5 * 100_000 / 100_100.0, within(1e-9));
    }

    @Test
    void fewSequencesCannotFillTheGpuInDecodeAttention() {
        // W / (B · H) = 128 / (1 · 32) = 4: one sequence reads its KV 4× slower per token than a full GPU.
        assertThat(single.attention().decodeSecondsPerToken(1)).isCloseTo(4 * 16.384e-9, within(1e-15));
        assertThat(single.attention().decodeSecondsPerToken(8)).isCloseTo(16.384e-9, within(1e-15));
    }

    @Test
    void decodeBeyondTheLargestGraphRunsEagerly() {
        // 300 > 256 sequences: full kernel floors and O_e.
        BatchShape batch = decode(300, 100);
        assertThat(single.cudaGraph(batch)).isFalse();
        assertThat(single.stageSeconds(batch) - single.stageSeconds(decode(256, 117)))
                .isGreaterThan((1000 - 200) * MICROS);
    }

    @Test
    void decodeClosedFormEqualsTheStageTimeWithAndWithoutGraphs() {
        for (int b : new int[] {1, 7, 32, 256, 257, 600}) {
            DecodeCost cost = single.decodeCost(b);
            for (long x : new long[] {b, 10L * b, 4096L * b}) {
                assertThat(cost.seconds(x)).isCloseTo(single.stageSeconds(new BatchShape().setDecode(b, x)),
                        within(1e-12));
            }
        }
    }

    @Test
    void fp8WeightsHalveTheWeightReadAndRunAtTheFp8Peak() {
        // 1-byte weights: P · 1 B / (M · μ) = 126.484 µs; compute at 2000 TFLOP/s: 2P/(2000e12 · 0.5) = 0.40475 µs/token.
        ModelSpec fp8 = LLAMA_7B.withPrecision(1, 1);
        RooflineStepTimeModel m = RooflineStepTimeModel.singleGpu(fp8, GPU);
        assertThat(m.layerGemms().weightReadSeconds()).isCloseTo(126.484 * MICROS, within(0.001 * MICROS));
        assertThat(m.layerGemms().computeSeconds(1000)).isCloseTo(single.layerGemms().computeSeconds(1000) / 2, within(1e-12));
        // FP8 KV halves decode attention's per-token read: 8.192 ns.
        assertThat(m.attention().decodeSecondsPerToken(32)).isCloseTo(8.192e-9, within(1e-15));
        GpuSpec noFp8 = new GpuSpec("NoFp8", 1000, 0, 80, 2000, 900, ROUND);
        assertThatThrownBy(() -> RooflineStepTimeModel.singleGpu(fp8, noFp8)).hasMessageContaining("peak_fp8_tflops");
    }

    @Test
    void groupedQueryPackingReadsEachKvHeadOnce() {
        // Llama-3-8B: 32 query heads, 8 KV heads, d = 128. Per query head (r = 0): 2 · 32 · 128 · 2 B / (2000e9 · 0.5)
        // = 16.384 ns per token; packed (r = 1): 2 · 8 · 128 · 2 B / 1e12 = 4.096 ns; halfway (r = 0.5): 20 heads, 10.24 ns.
        ModelSpec llama3 = Catalog.load().model("Llama-3-8B");
        for (double[] rExpected : new double[][] {{0, 16.384e-9}, {1, 4.096e-9}, {0.5, 10.24e-9}}) {
            GpuCalibration c = new GpuCalibration("test", null, 0.5, 100, 0.8, 5, 0.4, 2, 4, 0.5, 128, 0.1,
                    rExpected[0], 20, 3, null, null, 1000, 200, 10, null, 0.25, 256);
            RooflineStepTimeModel m = RooflineStepTimeModel.singleGpu(llama3, new GpuSpec("Round", 1000, 2000, 80, 2000,
                    900, c));
            assertThat(m.attention().decodeSecondsPerToken(32)).isCloseTo(rExpected[1], within(1e-15));
        }
    }

    @Test
    void everyStageAtOnceEqualsEachStageOnItsOwn() {
        // Llama-2-7B over 3 stages (11, 11, 10 layers; the last runs the LM head) and DeepSeek-V2-Lite over 4 (27
        // layers, the first dense): stagesSeconds computes the layer's terms once and must give every stage's time
        // bit for bit, the slowest of them being stageSeconds(batch).
        Catalog catalog = Catalog.load();
        TransferCost link = new TransferCost(5e-6, 1e-11);
        StepTimeModel[] models = {
                new RooflineStepTimeModel(LLAMA_7B, GPU, 1, 3, TransferCost.NONE, link),
                new RooflineStepTimeModel(catalog.model("DeepSeek-V2-Lite"), catalog.gpu("H100-SXM"), 2, 4, 2,
                        link, link, link, TransferCost.NONE)};
        BatchShape[] batches = {decode(8, 300), decode(512, 2000), new BatchShape().addPrefillChunk(1500, 0)
                .setDecode(40, 40_000L)};
        for (StepTimeModel model : models) {
            for (BatchShape batch : batches) {
                double[] stages = new double[model.pipelineStages()];
                model.stagesSeconds(batch, stages);
                double slowest = 0;
                for (int s = 0; s < stages.length; s++) {
                    assertThat(stages[s]).isEqualTo(model.stageSeconds(batch, s));
                    slowest = Math.max(slowest, stages[s]);
                }
                assertThat(slowest).isEqualTo(model.stageSeconds(batch));
                assertThat(stages[0]).isNotEqualTo(stages[stages.length - 1]);
            }
        }
    }
}
