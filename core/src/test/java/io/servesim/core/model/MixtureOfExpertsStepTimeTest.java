package io.servesim.core.model;

import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.Topology;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The mixture-of-experts terms of the step-time model. Hand calculations use Mixtral-8x7B (E = 8, k = 2, h = 4096,
 * f_e = 14336, so one expert is P_e = 3 · 4096 · 14336 = 176,160,768 weights) on the round GPU of
 * {@link RooflineStepTimeModelTest}: 1000 TFLOP/s, 2000 GB/s, η∞ = 0.5, N½ = 100, μ = 0.8, τ_g = 5 µs, τ_e = 20 µs,
 * γ_e = 3, φ = 0.25 with CUDA graphs up to 256.
 */
class MixtureOfExpertsStepTimeTest {
    private static final double MICROS = 1e-6;
    private static final Catalog CATALOG = Catalog.load();
    private static final ModelSpec MIXTRAL = CATALOG.model("Mixtral-8x7B");
    private static final ModelSpec MIXTRAL_22B = CATALOG.model("Mixtral-8x22B");
    private static final ModelSpec DEEPSEEK = CATALOG.model("DeepSeek-V2-Lite");
    private static final GpuCalibration ROUND = new GpuCalibration("test", null, 0.5, 100, 0.8, 5, 0.4, 2, 4, 0.5, 128,
            0.1, 0, 20, 3, null, null, 1000, 200, 10, null, 0.25, 256);
    private static final GpuSpec GPU = new GpuSpec("Round", 1000, 2000, 80, 2000, 900, ROUND);
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");
    private static final Topology NODE = Topology.fullMesh(8, 900, 1);

    private static BatchShape decode(int sequences, int contextEach) {
        return new BatchShape().setDecode(sequences, (long) sequences * contextEach);
    }

    @Test
    void oneDecodeTokenReadsTheWeightsOfItsTwoExpertsOnly() {
        // D(1) = 8 · (1 − 6/8) = 2 experts, 2 pairs. Compute 2 · P_e · (2 + 2 · 100) / 5e14 = 142.33 µs;
        // read 2 · P_e · 2 B / (2000e9 · 0.8) = 440.40 µs; + 2 grouped GEMMs · φ · τ_g = 2.5 µs → 442.90 µs.
        ExpertLayerTerms experts = RooflineStepTimeModel.singleGpu(MIXTRAL, GPU).experts();
        assertThat(experts.routing().busiestRankExperts(1)).isCloseTo(2, within(1e-12));
        assertThat(experts.expertGemmSeconds(1, true)).isCloseTo(442.902 * MICROS, within(0.001 * MICROS));
        // with 64 tokens D = 8 · (1 − 0.75^64) ≈ 8: all eight experts are read, 1761.61 µs + 2.5 µs
        assertThat(experts.expertGemmSeconds(64, true)).isCloseTo(1764.108 * MICROS, within(0.01 * MICROS));
    }

    @Test
    void largeIterationsComputeTheActiveParametersOnly() {
        // N = 4096 tokens, 8192 pairs over 8 experts: 2 · P_e · (8192 + 8 · 100) / 5e14 = 6335.1 µs, which beats the
        // read of all 8 experts (1761.6 µs): compute-bound on k = 2 experts per token, not on all 8
        ExpertLayerTerms experts = RooflineStepTimeModel.singleGpu(MIXTRAL, GPU).experts();
        double expected = 2.0 * 176_160_768 * (8192 + 800) / 5e14 + 2 * 5 * MICROS;
        assertThat(experts.expertGemmSeconds(4096, false)).isCloseTo(expected, within(1e-9));
        // the router: 2 · 4096 · 8 · (4096 + 100) / 5e14 = 0.55 µs against its read 0.04 µs, + τ_g + τ_e / 4
        assertThat(experts.routingSeconds(4096, false)).isCloseTo((0.550 + 5 + 5) * MICROS, within(0.001 * MICROS));
    }

    @Test
    void theDenseGemmsOfAnMoeLayerAreTheAttentionsOnly() {
        // Mixtral's attention: 2 · 4096² + 2 · 4096 · 1024 = 41,943,040 weights, read in 52.43 µs; 2 kernels (QKV, O)
        RooflineStepTimeModel m = RooflineStepTimeModel.singleGpu(MIXTRAL, GPU);
        assertThat(m.layerGemms().weightReadSeconds()).isCloseTo(41_943_040 * 2 / 1.6e12, within(1e-12));
        assertThat(m.gemmSeconds(1, false)).isCloseTo(41_943_040 * 2 / 1.6e12 + 2 * 5 * MICROS, within(1e-12));
    }

    @Test
    void decodeClosedFormEqualsTheStageTimeForMoeModels() {
        ModelSpec skewed = CATALOG.model("Qwen3-30B-A3B").withRoutingSkew(1.2);
        RooflineStepTimeModel[] models = {
                RooflineStepTimeModel.singleGpu(MIXTRAL, GPU),
                RooflineStepTimeModel.singleGpu(DEEPSEEK, H100),
                RooflineStepTimeModel.singleGpu(skewed, H100),
                Deployment.of(MIXTRAL_22B, H100, 8, 1, 8, 1, NODE).stepTimeModel(0),
                Deployment.of(MIXTRAL_22B, H100, 8, 1, 2, 1, NODE).stepTimeModel(0),
                Deployment.of(DEEPSEEK, H100, 4, 1, 4, 1, NODE).stepTimeModel(0)};
        for (RooflineStepTimeModel m : models) {
            for (int b : new int[] {1, 3, 32, 256, 257, 700}) {
                DecodeCost cost = m.decodeCost(b);
                for (long x : new long[] {b, 100L * b, 8000L * b}) {
                    double stage = m.stageSeconds(new BatchShape().setDecode(b, x));
                    assertThat(cost.seconds(x)).as("%s ep %d, B %d", m.model().name(), m.expertParallel(), b)
                            .isCloseTo(stage, within(1e-12 * stage));
                }
            }
        }
    }

    @Test
    void breakdownAddsUpToTheStageTime() {
        RooflineStepTimeModel m = Deployment.of(DEEPSEEK, H100, 2, 1, 2, 1, NODE).stepTimeModel(0);
        BatchShape batch = new BatchShape().addPrefillChunk(700, 300).setDecode(40, 40_000);
        StepTimeBreakdown b = m.breakdown(batch);
        assertThat(b.gemmSeconds() + b.attentionSeconds() + b.elementwiseSeconds() + b.communicationSeconds()
                + b.overheadSeconds()).isCloseTo(m.stageSeconds(batch), within(1e-12));
        assertThat(b.communicationSeconds()).isCloseTo(m.communicationSeconds(batch, 0), within(1e-15));
    }

    @Test
    void aDenseLayerOfAnMoeModelTakesWhatTheSameLayerOfADenseModelTakes() {
        // DeepSeek-V2-Lite's first layer has a dense MLP (10944) instead of 64 + 2 experts. Its dense twin (the same
        // model without experts) has 27 such layers, so the two differ by 26 · (MoE layer − dense layer), with and
        // without expert parallelism (where the dense layer keeps its MLP all-reduce)
        ModelSpec d = DEEPSEEK;
        ModelSpec twin = new ModelSpec("twin", d.layers(), d.hidden(), d.heads(), d.kvHeads(), d.headDim(),
                d.ffnHidden(), d.vocab(), d.maxContextTokens(), d.bytesPerParam(), d.kvBytesPerElement(), true, false,
                null, null, null, d.mla());
        for (int ep : new int[] {1, 2}) {
            RooflineStepTimeModel moe = Deployment.of(d, H100, 2, 1, ep, 1, NODE).stepTimeModel(0);
            RooflineStepTimeModel dense = Deployment.of(twin, H100, 2, 1, 1, 1, NODE).stepTimeModel(0);
            for (BatchShape batch : new BatchShape[] {decode(64, 1000), new BatchShape().addPrefillChunk(900, 0)}) {
                double difference = 26 * (moe.layerSeconds(batch) - dense.layerSeconds(batch));
                assertThat(moe.stageSeconds(batch) - dense.stageSeconds(batch)).isCloseTo(difference, within(1e-12));
            }
        }
    }

    @Test
    void expertParallelismReadsWholeExpertsSoOneSequenceDecodesSlowerThanWithTensorParallelism() {
        // Mixtral-8x22B on 8 GPUs, one decode token touching 2 experts. TP 8: each GPU reads 1/8 of both = 1/4 expert.
        // EP 8: the busiest GPU reads one whole expert, 4 times the bytes, and pays two all-to-alls.
        RooflineStepTimeModel tp = Deployment.of(MIXTRAL_22B, H100, 8, 1, 1, 1, NODE).stepTimeModel(0);
        RooflineStepTimeModel ep = Deployment.of(MIXTRAL_22B, H100, 8, 1, 8, 1, NODE).stepTimeModel(0);
        double tpExperts = tp.experts().expertGemmSeconds(1, true);
        double epExperts = ep.experts().expertGemmSeconds(1, true);
        double floors = 2 * H100.calibration().graphFloorFactor() * H100.calibration().gemmFloorMicros() * MICROS;
        assertThat((epExperts - floors) / (tpExperts - floors)).isCloseTo(4, within(1e-9));
        assertThat(ep.experts().expertParallelSeconds(1)).isPositive();
        assertThat(tp.experts().expertParallelSeconds(1)).isZero();
        // a saturated batch reads every expert either way: the same bytes per GPU
        assertThat(ep.experts().expertGemmSeconds(512, true) - tp.experts().expertGemmSeconds(512, true))
                .isCloseTo(0, within(1e-9));
    }

    @Test
    void expertParallelTrafficIsTwoAllToAllsOfTheRoutedActivations() {
        // EP 8 on a full mesh of 900 GB/s, 1 µs: all-to-all (n−1)·1 µs + (n−1)/n² · bytes / 900e9, bytes =
        // N · k · h · 2 B; dispatch and combine. N = 1000: 1000 · 2 · 6144 · 2 = 24,576,000 B →
        // 2 · (7 µs + 7/64 · 24,576,000 / 900e9) = 2 · (7 + 2.98667) µs = 19.9733 µs (each rank one whole expert: no
        // expert all-reduce); the attention keeps one all-reduce
        RooflineStepTimeModel ep = Deployment.of(MIXTRAL_22B, H100, 8, 1, 8, 1, NODE).stepTimeModel(0);
        assertThat(ep.experts().expertParallelSeconds(1000)).isCloseTo(19.9733 * MICROS, within(0.0001 * MICROS));
        RooflineStepTimeModel tp = Deployment.of(MIXTRAL_22B, H100, 8, 1, 1, 1, NODE).stepTimeModel(0);
        assertThat(ep.tensorParallelSeconds(1000)).isCloseTo(tp.tensorParallelSeconds(1000) / 2, within(1e-15));
    }

    @Test
    void latentAttentionReadsOneLatentPerTokenForAllHeads() {
        // DeepSeek-V2-Lite: c + r = 576 elements of 2 B per token and layer, whatever the TP degree:
        // 1152 B / (3350e9 · μ_a) per token
        double muA = H100.calibration().decodeAttentionEfficiency();
        for (int tp : new int[] {1, 4}) {
            RooflineStepTimeModel m = Deployment.of(DEEPSEEK, H100, tp, 1, 1, 1, NODE).stepTimeModel(0);
            assertThat(m.attention().decodeSecondsPerToken(1000)).isCloseTo(1152 / (3350e9 * muA), within(1e-18));
        }
    }

    @Test
    void expertParallelismNeedsExpertsAndADivisorOfTheTensorParallelDegree() {
        assertThatThrownBy(() -> new RooflineStepTimeModel(CATALOG.model("Llama-2-7B"), H100, 2, 1, 2,
                TransferCost.NONE, TransferCost.NONE, TransferCost.NONE, TransferCost.NONE))
                .hasMessageContaining("needs experts");
    }
}
