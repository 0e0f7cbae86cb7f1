package io.servesim.core.model;

import io.servesim.core.hardware.Catalog;
import io.servesim.core.hardware.GpuSpec;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand calculations use Llama-2-7B (paramsPerLayer P = 202,375,168, LM head V·h = 131,072,000, hidden 4096,
 * KV bytes per token per layer 16,384) on H100-SXM: effective compute F = 989e12 · 0.55 = 543.95e12 FLOP/s,
 * effective memory M = 3350e9 · 0.8 = 2680e9 B/s, layer overhead 30 µs, iteration overhead 1500 µs.
 */
class RooflineStepTimeModelTest {

    private static final Catalog CATALOG = Catalog.load();
    private static final ModelSpec LLAMA_7B = CATALOG.model("Llama-2-7B");
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");
    private static final double MICROS = 1e-6;

    private final RooflineStepTimeModel single = RooflineStepTimeModel.singleGpu(LLAMA_7B, H100);

    private static BatchShape decode(int sequences, int contextEach) {
        return new BatchShape().setDecode(sequences, (long) sequences * contextEach);
    }

    private static BatchShape prefill(int tokens) {
        return new BatchShape().addPrefillChunk(tokens, 0);
    }

    @Test
    void decodeTermsMatchTheHandCalculation() {
        // Decode batch 32 with 1000-token contexts, per layer:
        //   weight read   = P · 2 B / M = 404.75e6 / 2680e9                 = 151.026 µs
        //   linear        = 2 · P · 32 / F = 12.952e9 / 543.95e12            =  23.811 µs
        //   attention     = 4 · 4096 · 32,000 / F                            =   0.964 µs
        //   KV traffic    = (32,000 read + 32 written) · 16,384 B / M        = 195.825 µs
        //   layer         = 151.026 + 195.825 + 30 overhead                  = 376.852 µs
        // LM head: max(2 · V · 32 / F = 15.4 µs, V · 2 B / M = 97.815 µs)    =  97.815 µs
        // stage = 32 · 376.852 + 97.815 + 1500                               = 13.657 ms
        BatchShape batch = decode(32, 1000);
        assertThat(single.weightReadSeconds()).isCloseTo(151.026 * MICROS, within(0.001 * MICROS));
        assertThat(single.linearComputeSeconds(32)).isCloseTo(23.811 * MICROS, within(0.001 * MICROS));
        assertThat(single.attentionComputeSeconds(32_000)).isCloseTo(0.964 * MICROS, within(0.001 * MICROS));
        assertThat(single.kvTrafficSeconds(32_032)).isCloseTo(195.825 * MICROS, within(0.001 * MICROS));
        assertThat(single.layerSeconds(batch)).isCloseTo(376.852 * MICROS, within(0.001 * MICROS));
        assertThat(single.lmHeadSeconds(32)).isCloseTo(97.815 * MICROS, within(0.001 * MICROS));
        assertThat(single.stageSeconds(batch)).isCloseTo(13.657e-3, within(0.001e-3));
        assertThat(single.iterationSeconds(batch)).isEqualTo(single.stageSeconds(batch));
    }

    @Test
    void breakdownReportsEachTermOfTheStage() {
        // Same batch: weights 32 · 151.026 + 97.815 (LM head) = 4930.6 µs; KV 32 · 195.825 = 6266.4 µs;
        // linear 32 · 23.811 + 15.4 (LM head) = 777.4 µs; overhead 32 · 30 + 1500 = 2460 µs.
        StepTimeBreakdown b = single.breakdown(decode(32, 1000));
        assertThat(b.weightReadSeconds()).isCloseTo(4930.6 * MICROS, within(0.1 * MICROS));
        assertThat(b.kvReadSeconds()).isCloseTo(6266.4 * MICROS, within(0.1 * MICROS));
        assertThat(b.linearComputeSeconds()).isCloseTo(777.4 * MICROS, within(0.1 * MICROS));
        assertThat(b.overheadSeconds()).isCloseTo(2460 * MICROS, within(0.001 * MICROS));
        assertThat(b.communicationSeconds()).isZero();
        assertThat(b.computeBound()).isFalse();
        assertThat(b.totalSeconds()).isEqualTo(single.stageSeconds(decode(32, 1000)));
    }

    @Test
    void smallDecodeBatchIsMemoryBound() {
        // Batch 1: linear 2 · P / F = 0.74 µs ≪ weight read 151 µs per layer.
        assertThat(single.breakdown(decode(1, 500)).computeBound()).isFalse();
        assertThat(single.linearComputeSeconds(1)).isLessThan(single.weightReadSeconds() / 100);
    }

    @Test
    void prefillOf2000TokensIsComputeBound() {
        // 2000-token prompt, per layer: linear 2 · P · 2000 / F = 1488.189 µs > weight read 151.026 µs;
        // attention 4 · 4096 · (2000 · 2001/2 pairs) / F = 60.271 µs > KV writes 2000 · 16,384 / M = 12.227 µs.
        // LM head for the one finishing sequence: max(0.48 µs, 97.815 µs) = 97.815 µs.
        // stage = 32 · (1488.189 + 60.271 + 30) + 97.815 + 1500 = 52.109 ms
        BatchShape batch = prefill(2000);
        assertThat(single.breakdown(batch).computeBound()).isTrue();
        assertThat(single.stageSeconds(batch)).isCloseTo(52.109e-3, within(0.001e-3));
    }

    @Test
    void tensorParallelOfTwoHalvesTheComputeAndAddsTwoAllReducesPerLayer() {
        // All-reduce on 2 GPUs over one 900 GB/s, 1 µs link (ring formula):
        //   2(t−1) · 1 µs + 2(t−1)/t · bytes / 900e9 = 2 µs + bytes / 900e9.
        // Prefill 2000 tokens: bytes = 2000 · 4096 · 2 = 16.384 MB → 2 + 18.204 = 20.204 µs;
        // two per layer, 32 layers: 64 · 20.204 µs = 1.2931 ms.
        TransferCost allReduce = new TransferCost(2 * MICROS, 1 / 900e9);
        RooflineStepTimeModel tp2 = new RooflineStepTimeModel(LLAMA_7B, H100, 2, 1, allReduce, TransferCost.NONE);
        BatchShape batch = prefill(2000);
        StepTimeBreakdown one = single.breakdown(batch);
        StepTimeBreakdown two = tp2.breakdown(batch);
        assertThat(tp2.linearComputeSeconds(2000)).isCloseTo(single.linearComputeSeconds(2000) / 2, within(1e-15));
        assertThat(two.attentionComputeSeconds()).isCloseTo(one.attentionComputeSeconds() / 2, within(1e-15));
        assertThat(two.communicationSeconds()).isCloseTo(1.2931e-3, within(0.0001e-3));
    }

    @Test
    void stepTimeGrowsMonotonicallyWithBatchSize() {
        double previousDecode = 0;
        double previousPrefill = 0;
        for (int n = 1; n <= 512; n++) {
            double decodeSeconds = single.stageSeconds(decode(n, 700));
            double prefillSeconds = single.stageSeconds(prefill(16 * n));
            assertThat(decodeSeconds).isGreaterThanOrEqualTo(previousDecode);
            assertThat(prefillSeconds).isGreaterThanOrEqualTo(previousPrefill);
            previousDecode = decodeSeconds;
            previousPrefill = prefillSeconds;
        }
    }

    @Test
    void pipelineStagesGiveRemainderLayersToTheFirstStagesAndUseTheLargest() {
        // 32 layers over 3 stages: 11, 11, 10. Decode batch 1 (500 context): layer ≈ 151 + 3.1 + 30 µs ≫ LM head
        // 97.8 µs, so the first stage binds: stage = 11 · layer + 1500 µs.
        assertThat(RooflineStepTimeModel.stageLayers(32, 3, 0)).isEqualTo(11);
        assertThat(RooflineStepTimeModel.stageLayers(32, 3, 1)).isEqualTo(11);
        assertThat(RooflineStepTimeModel.stageLayers(32, 3, 2)).isEqualTo(10);
        RooflineStepTimeModel pp3 = new RooflineStepTimeModel(LLAMA_7B, H100, 1, 3, TransferCost.NONE, TransferCost.NONE);
        BatchShape batch = decode(1, 500);
        assertThat(pp3.stageSeconds(batch)).isCloseTo(11 * pp3.layerSeconds(batch) + 1500 * MICROS, within(1e-12));
    }

    @Test
    void stageTransferSendsTheActivationsOverTheRoute() {
        // 2000 tokens · 4096 · 2 B = 16.384 MB over a 50 GB/s, 5 µs route: 5 + 327.68 = 332.68 µs.
        // 16 layers per stage; the last stage adds the LM head (97.815 µs for one logit token), so
        // iteration = stage 0 + stage 1 + 1 transfer = 2 · stage − 97.815 µs + 332.68 µs.
        RooflineStepTimeModel pp2 = new RooflineStepTimeModel(LLAMA_7B, H100, 1, 2, TransferCost.NONE,
                new TransferCost(5 * MICROS, 1 / 50e9));
        BatchShape batch = prefill(2000);
        assertThat(pp2.stageTransferSeconds(batch)).isCloseTo(332.68 * MICROS, within(0.001 * MICROS));
        assertThat(pp2.iterationSeconds(batch))
                .isCloseTo(2 * pp2.stageSeconds(batch) - 97.815 * MICROS + 332.68 * MICROS, within(0.001 * MICROS));
        assertThat(single.stageTransferSeconds(batch)).isZero();
    }

    @Test
    void eachStageRunsItsOwnLayersAndOnlyTheLastTheLmHead() {
        // 32 layers over 3 stages: 11, 11, 10. Decode batch 1 (500 context), layer ≈ 184 µs:
        // stage 0 = stage 1 = 11 · layer + 1500 µs; stage 2 = 10 · layer + 97.815 µs LM head + 1500 µs.
        // The slowest stage (stageSeconds without a stage) is stage 0.
        RooflineStepTimeModel pp3 = new RooflineStepTimeModel(LLAMA_7B, H100, 1, 3, TransferCost.NONE, TransferCost.NONE);
        BatchShape batch = decode(1, 500);
        double layer = pp3.layerSeconds(batch);
        assertThat(pp3.stageSeconds(batch, 0)).isCloseTo(11 * layer + 1500 * MICROS, within(1e-12));
        assertThat(pp3.stageSeconds(batch, 1)).isEqualTo(pp3.stageSeconds(batch, 0));
        assertThat(pp3.stageSeconds(batch, 2)).isCloseTo(10 * layer + 97.815 * MICROS + 1500 * MICROS,
                within(0.001 * MICROS));
        assertThat(pp3.stageSeconds(batch)).isEqualTo(pp3.stageSeconds(batch, 0));
        assertThat(single.stageSeconds(batch, 0)).isEqualTo(single.stageSeconds(batch));
    }

    @Test
    void communicationSecondsAreTheAllReducesOfTheStagesLayers() {
        // TP 2 over a 900 GB/s, 1 µs link, as in the TP test: a 2000-token prefill costs 2 + 18.2044 = 20.2044 µs
        // per all-reduce, two per layer = 40.4089 µs. PP 2 × TP 2: 16 layers per stage → 16 · 40.4089 = 646.542 µs
        // per stage; a single GPU communicates nothing.
        TransferCost allReduce = new TransferCost(2 * MICROS, 1 / 900e9);
        RooflineStepTimeModel tp2pp2 = new RooflineStepTimeModel(LLAMA_7B, H100, 2, 2, allReduce, TransferCost.NONE);
        BatchShape batch = prefill(2000);
        assertThat(tp2pp2.communicationSeconds(batch, 0)).isCloseTo(646.542 * MICROS, within(0.001 * MICROS));
        assertThat(tp2pp2.communicationSeconds(batch, 1)).isEqualTo(tp2pp2.communicationSeconds(batch, 0));
        assertThat(tp2pp2.tensorParallel()).isEqualTo(2);
        assertThat(single.communicationSeconds(batch, 0)).isZero();
    }

    @Test
    void calibrationMatchesPublishedOrdersOfMagnitudeOnA100() {
        // A100-80GB: F = 312e12 · 0.65 = 202.8e12, M = 2039e9 · 0.75 = 1529.25e9, 40 µs per layer, 2 ms per iteration.
        // 7B decode batch 1, 1000 context: 32 · (264.7 µs weights + 10.7 µs KV + 40 µs) + 171.4 µs LM head + 2 ms
        //   = 12.26 ms (published vLLM: about 12–15 ms).
        // 7B prefill 2000 tokens: 32 · (3992.9 linear + 161.7 attention + 40) µs + 2 ms + LM head ≈ 136.4 ms (100–150 ms).
        GpuSpec a100 = CATALOG.gpu("A100-80GB");
        RooflineStepTimeModel model = RooflineStepTimeModel.singleGpu(LLAMA_7B, a100);
        assertThat(model.stageSeconds(decode(1, 1000))).isCloseTo(12.26e-3, within(0.01e-3));
        assertThat(model.stageSeconds(prefill(2000))).isCloseTo(136.4e-3, within(0.1e-3));
    }

    @Test
    void stageSecondsAllocatesNothing() {
        // The engine calls stageSeconds, per-stage seconds and communication seconds in its innermost loop:
        // a million calls of each must not allocate (the allowance covers the measurement itself).
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RooflineStepTimeModel tp2pp2 = new RooflineStepTimeModel(LLAMA_7B, H100, 2, 2,
                new TransferCost(2 * MICROS, 1 / 900e9), new TransferCost(5 * MICROS, 1 / 50e9));
        BatchShape batch = decode(64, 900).addPrefillChunk(512, 1024);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += single.stageSeconds(batch) + tp2pp2.stageSeconds(batch, i & 1)
                    + tp2pp2.communicationSeconds(batch, i & 1);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            sum += single.stageSeconds(batch) + tp2pp2.stageSeconds(batch, i & 1)
                    + tp2pp2.communicationSeconds(batch, i & 1);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isLessThan(1024);
        assertThat(sum).isPositive();
    }

    @Test
    void decodeCostEqualsTheStageTimeOfDecodeBatches() {
        // The engine adds up runs of decode iterations with decodeCost(B); it must be the same function of the context
        // sum as stageSeconds on decode-only batches, in both the compute-bound and memory-bound attention regimes, with
        // and without tensor parallelism.
        TransferCost allReduce = new TransferCost(5e-6, 1.0 / 300e9);
        for (RooflineStepTimeModel model : new RooflineStepTimeModel[] {single,
                new RooflineStepTimeModel(LLAMA_7B, H100, 4, 1, allReduce, TransferCost.NONE)}) {
            for (int batch : new int[] {1, 7, 64, 256}) {
                DecodeCost cost = model.decodeCost(batch);
                for (long context : new long[] {batch, 1000L * batch, 4000L * batch}) {
                    BatchShape shape = new BatchShape().setDecode(batch, context);
                    assertThat(cost.seconds(context)).isCloseTo(model.stageSeconds(shape), withinPercentage(1e-9));
                }
            }
        }
        assertThat(new RooflineStepTimeModel(LLAMA_7B, H100, 1, 2, TransferCost.NONE, TransferCost.NONE).decodeCost(8))
                .as("pipelined iterations are stepped, not summed").isNull();
    }
}
