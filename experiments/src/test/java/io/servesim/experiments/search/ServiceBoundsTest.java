package io.servesim.experiments.search;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.Topology;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.workload.Sla;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceBoundsTest {
    /** Two requests: prompts 100 and 300, outputs 11 and 21 (E[o − 1] = 15, E[prompt] = 200). */
    private static RequestSample twoRequests(Sla sla) {
        return new RequestSample(new int[] {100, 300}, new int[] {11, 21}, new Sla[] {sla, sla});
    }

    @Test
    void aDecodeBoundReplicaCompletesAtMostTheBestDecodeTokenRateOverTheDecodeTokensARequestNeeds() {
        // t(b) = 0.01 + 0.0001 b for b decode sequences; prefill free. The best decode rate is at b = 256:
        // 256 / (0.01 + 0.0256) = 7191.0 tokens/s; over E[o − 1] = 15 tokens: 479.4 requests/s. The grid's bound is
        // at least that and at most one grid step (25 %) above it.
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0, 0.0001));
        double exact = 256 / (0.01 + 0.0256) / 15;
        double bound = bounds.requestsPerSecond(256, 4096, Long.MAX_VALUE / 2, false, twoRequests(Sla.DEFAULT));
        assertThat(bound).isBetween(exact, 1.25 * exact);
    }

    @Test
    void aPrefillBoundReplicaCompletesAtMostTheBestPromptTokenRateOverTheMeanPrompt() {
        // t(n) = 0.01 + 0.00005 n for n prompt tokens; at the budget n = 4096: 4096 / 0.2148 = 19068.9 tokens/s, over
        // E[prompt] = 200: 95.3 requests/s, below the decode bound (479 requests/s).
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0.00005, 0.0001));
        double exact = 4096 / (0.01 + 0.00005 * 4096) / 200;
        double bound = bounds.requestsPerSecond(256, 4096, Long.MAX_VALUE / 2, false, twoRequests(Sla.DEFAULT));
        assertThat(bound).isBetween(exact, 1.25 * exact);
        // With prefix caching, prompts may skip their prefill: only the decode bound is left.
        assertThat(bounds.requestsPerSecond(256, 4096, Long.MAX_VALUE / 2, true, twoRequests(Sla.DEFAULT)))
                .isGreaterThan(4 * bound);
    }

    @Test
    void theKvCacheCapsTheContextAReplicaCanReadPerIteration() {
        // 1000 KV tokens per engine; an iteration takes at least t(1) = 0.0101 s whatever it reads, so a replica reads
        // at most 1000 / 0.0101 = 99,010 context tokens per second. The requests read at least
        // Σ_{j=1}^{o−1} (prompt + j − 1): 10 · 100 + 45 = 1045 and 20 · 300 + 190 = 6190, mean 3617.5: 27.4 requests/s,
        // below the decode bound of at most 10 sequences (10 / 0.011 / 15 = 60.6).
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0, 0.0001));
        double exact = 1000 / 0.0101 / 3617.5;
        assertThat(bounds.requestsPerSecond(256, 4096, 1000, false, twoRequests(Sla.DEFAULT)))
                .isBetween(exact, 1.25 * exact);
        assertThat(bounds.requestsPerSecond(256, 4096, 99, false, twoRequests(Sla.DEFAULT))).isZero();
    }

    @Test
    void latencyFloorsCountTheRequestsThatCanMeetTheirSlaAlone() {
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0.00005, 0.0001));
        // A lone decode takes 0.0101 s: a TPOT limit of 0.01 s fails both requests.
        assertThat(bounds.feasibleFraction(256, 4096, false, 4096, false, twoRequests(new Sla(10, 0.01, 10)))).isZero();
        // Whole prompts alone take 0.015 s (100 tokens) and 0.025 s (300): a TTFT limit of 0.02 s leaves one of two.
        assertThat(bounds.feasibleFraction(256, 4096, false, 4096, false, twoRequests(new Sla(0.02, 0.02, 10)))).isEqualTo(0.5);
        // A prompt above an unchunked token budget always fails.
        assertThat(bounds.feasibleFraction(256, 200, false, 4096, false, twoRequests(new Sla(10, 10, 10)))).isEqualTo(0.5);
        // Chunked in chunks of at most 128 tokens, the 300-token prompt needs 3 iterations of at least 0.01005 s (0.03015 s).
        assertThat(bounds.feasibleFraction(256, 4096, true, 128, false, twoRequests(new Sla(0.031, 10, 10)))).isEqualTo(1.0);
        assertThat(bounds.feasibleFraction(256, 4096, true, 128, false, twoRequests(new Sla(0.030, 10, 10)))).isEqualTo(0.5);
    }

    /**
     * The premises of the bounds, on the catalog's models and GPUs and random batches: (1) a batch with b decode
     * sequences reading x context takes at least the faster kind of the relaxed decode (b, x); (2) a batch with n
     * prefill tokens at least the relaxed prefill of n tokens, and a batch holding a whole prompt at least that prompt
     * alone; (3) along the relaxed batches the time does not fall: in x at fixed b, in n. (It may fall in b, where CUDA
     * graphs stop: the decode bound tries every b.)
     */
    @Test
    void realBatchesTakeAtLeastTheirRelaxedBatchesAndRelaxedBatchesGrowSlower() {
        Catalog catalog = Catalog.load();
        SplittableRandom random = new SplittableRandom(7);
        int checked = 0;
        for (String modelName : List.of("Llama-2-7B", "Llama-2-70B")) {
            for (String gpuName : List.of("A100-80GB", "H100-SXM", "H200")) {
                for (int[] layout : new int[][] {{1, 1}, {2, 1}, {4, 2}, {8, 4}}) {
                    Deployment d = Deployment.of(catalog.model(modelName), catalog.gpu(gpuName), layout[0], layout[1],
                            1, Topology.multiNode(layout[0] * layout[1], 8, 300, 1, 50, 2.5));
                    RooflineStepTimeModel model = d.stepTimeModel(0);
                    String where = modelName + " on " + gpuName + " tp " + layout[0] + " pp " + layout[1];
                    for (int s = 0; s < model.pipelineStages(); s++) {
                        for (int trial = 0; trial < 200; trial++) {
                            int prompt = 1 + random.nextInt(4000);
                            BatchShape whole = new BatchShape().addPrefillChunk(prompt, 0);
                            double wholeAlone = model.stageSeconds(whole, s);
                            BatchShape batch = new BatchShape();
                            boolean withWhole = random.nextBoolean();
                            if (withWhole) {
                                batch.addPrefillChunk(prompt, 0);
                            }
                            int chunks = random.nextInt(3);
                            for (int c = 0; c < chunks; c++) {
                                batch.addPrefillChunk(1 + random.nextInt(2048), random.nextInt(4096));
                            }
                            int decodes = random.nextInt(400);
                            batch.setDecode(decodes, (long) decodes * (1 + random.nextInt(4000)));
                            if (batch.isEmpty()) {
                                batch.setDecode(1, 1 + random.nextInt(4000));
                            }
                            double t = model.stageSeconds(batch, s);
                            if (batch.decodeSequences > 0) {
                                double relaxed = Math.min(
                                        model.stageSeconds(new BatchShape().setDecode(batch.decodeSequences,
                                                batch.decodeContextTokens), s),
                                        model.stageSeconds(oneTokenPrefill(new BatchShape().setDecode(
                                                batch.decodeSequences, batch.decodeContextTokens)), s));
                                assertThat(t).as("(1) %s stage %d", where, s).isGreaterThanOrEqualTo(relaxed);
                            }
                            if (batch.prefillTokens > 0) {
                                assertThat(t).as("(2) %s stage %d", where, s)
                                        .isGreaterThanOrEqualTo(model.stageSeconds(relaxedPrefill(batch.prefillTokens), s));
                            }
                            if (withWhole) {
                                assertThat(t).as("(2) whole prompt, %s stage %d", where, s)
                                        .isGreaterThanOrEqualTo(wholeAlone);
                            }
                            checked++;
                        }
                        for (int b : new int[] {1, 7, 64, 300, 600}) {
                            double lastContext = 0;
                            for (long x = b; x < 2_000_000; x = x * 5 / 4 + 1) {
                                double decode = fasterKind(model, b, x, s);
                                assertThat(decode).as("(3) context %d b = %d, %s", x, b, where).isGreaterThanOrEqualTo(lastContext);
                                lastContext = decode;
                            }
                        }
                        double lastPrefill = 0;
                        for (long n = 1; n <= 65_536; n = n * 9 / 8 + 1) {
                            double prefill = model.stageSeconds(relaxedPrefill(n), s);
                            assertThat(prefill).as("(3) prefill n = %d, %s", n, where).isGreaterThanOrEqualTo(lastPrefill);
                            lastPrefill = prefill;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }

    private static double fasterKind(RooflineStepTimeModel model, int sequences, long context, int stage) {
        return Math.min(model.stageSeconds(new BatchShape().setDecode(sequences, context), stage),
                model.stageSeconds(oneTokenPrefill(new BatchShape().setDecode(sequences, context)), stage));
    }

    private static BatchShape oneTokenPrefill(BatchShape b) {
        b.prefillTokens = 1;
        b.prefillAttentionPairs = 1;
        b.prefillSequences = 1;
        return b;
    }

    private static BatchShape relaxedPrefill(long tokens) {
        BatchShape b = new BatchShape();
        b.prefillTokens = tokens;
        b.prefillAttentionPairs = tokens;
        b.prefillSequences = 1;
        return b;
    }
}
