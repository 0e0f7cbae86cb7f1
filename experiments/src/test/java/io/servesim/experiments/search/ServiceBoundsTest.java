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
import org.assertj.core.data.Offset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceBoundsTest {
    /** Two requests: prompts 100 and 300, outputs 11 and 21 (10 and 20 decode tokens), arriving 1 s apart. */
    private static RequestSample twoRequests(Sla sla) {
        return new RequestSample(new int[] {100, 300}, new int[] {11, 21}, new Sla[] {sla, sla}, 1.0);
    }

    private static final long NO_KV_LIMIT = Long.MAX_VALUE / 2;

    @Test
    void aReplicaDecodesAtMostTheBestRateOverEveryBatchSize() {
        // t(b) = 0.01 + 0.0001 b for b decode sequences: the best rate is at b = 256, 256 / 0.0356 = 7191.0 tokens/s.
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0, 0.0001));
        ServiceBounds.TokenKinds rates = bounds.tokenRates(256, 4096, NO_KV_LIMIT, false, twoRequests(Sla.DEFAULT));
        assertThat(rates.decode()).isCloseTo(256 / 0.0356, Offset.offset(1e-6));
        // The cache holds every batch of mean-length requests: the context rate does not bind.
        assertThat(rates.context()).isInfinite();
    }

    @Test
    void aReplicaPrefillsAtMostTheBestPromptRateWithinOneGridStep() {
        // t(n) = 0.01 + 0.00005 n for n prompt tokens; at the budget n = 4096: 4096 / 0.2148 = 19068.9 tokens/s.
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0.00005, 0.0001));
        double exact = 4096 / (0.01 + 0.00005 * 4096);
        assertThat(bounds.tokenRates(256, 4096, NO_KV_LIMIT, false, twoRequests(Sla.DEFAULT)).prompt())
                .isBetween(exact, 1.25 * exact);
        // With prefix caching, prompts may skip their prefill: no prompt bound.
        assertThat(bounds.tokenRates(256, 4096, NO_KV_LIMIT, true, twoRequests(Sla.DEFAULT)).prompt()).isInfinite();
    }

    @Test
    void theKvCacheCapsTheContextAReplicaReadsPerIteration() {
        // 1000 KV tokens per engine, and an iteration takes at least t(1) = 0.0101 s whatever it reads: at most
        // 1000 / 0.0101 = 99,010 context tokens per second. 99 tokens do not hold the shortest prompt: nothing runs.
        ServiceBounds bounds = new ServiceBounds(new AffineStepTimeModel(0.01, 0, 0.0001));
        assertThat(bounds.tokenRates(256, 4096, 1000, false, twoRequests(Sla.DEFAULT)).context())
                .isCloseTo(1000 / 0.0101, Offset.offset(1e-6));
        assertThat(bounds.tokenRates(256, 4096, 99, false, twoRequests(Sla.DEFAULT)))
                .isEqualTo(new ServiceBounds.TokenKinds(0, 0, 0));
    }

    @Test
    void aProbePassesOnlyIfItsGoodRequestsWorkFitsBetweenTheFirstArrivalAndTheLastAllowedEnd() {
        // Both requests must be good; they need 10 + 20 = 30 decode tokens. At 10 tokens/s that is 3 s of work; the
        // second may end 0.5 + 20 · 0.05 = 1.5 s after its arrival. At the base rate of 2 req/s the arrivals span 1 s, at
        // λ they span 2 / λ s: 2 / λ + 1.5 ≥ 3 ⇔ λ ≤ 2 / 1.5 = 1.333 req/s.
        RequestSample sample = twoRequests(new Sla(0.5, 0.05, 10));
        double inf = Double.POSITIVE_INFINITY;
        assertThat(ServiceBounds.maxPassingRps(new ServiceBounds.TokenKinds(10, inf, inf), sample, 2, 2))
                .isCloseTo(2 / 1.5, Offset.offset(1e-12));
        // One good request needs only the 10 tokens of the shorter: 1 s of work, within its allowance: no bound.
        assertThat(ServiceBounds.maxPassingRps(new ServiceBounds.TokenKinds(10, inf, inf), sample, 1, 2)).isInfinite();
        // No decode capacity at all: no rate passes.
        assertThat(ServiceBounds.maxPassingRps(new ServiceBounds.TokenKinds(0, 0, 0), sample, 2, 2)).isZero();
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
