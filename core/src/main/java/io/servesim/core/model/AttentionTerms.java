package io.servesim.core.model;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;

/**
 * The attention kernels of one layer on one GPU of a replica with TP degree t: prefill attention (compute-bound over
 * causal pairs) and decode attention (bandwidth-bound over the cached context), each with its kernel floor. Part of the
 * step-time physics of {@link RooflineStepTimeModel}; {@code docs/model.md} states the equations. Coefficients are
 * precomputed, so every method is a few multiply-adds without allocation.
 */
public final class AttentionTerms {
    private static final double MICROS = 1e-6;

    private final double secondsPerPair;
    private final double secondsPerPrefillToken;
    private final double floorSeconds;
    private final double decodeSecondsPerToken;
    private final double decodeParallelSlots;
    private final double queryHeadsPerGpu;
    private final double decodeSecondsPerHead;

    AttentionTerms(ModelSpec model, GpuSpec gpu, int tensorParallel) {
        GpuCalibration c = gpu.calibration();
        double t = tensorParallel;
        double flops = gpu.peakFlopsPerSecond(RooflineStepTimeModel.ACTIVATION_BYTES) * c.attentionEfficiency();
        double hbm = gpu.memoryBytesPerSecond();
        LatentAttention mla = model.mla();
        double queryWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.qkHeadDim()) / t;
        double valueWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.vHeadDim()) / t;
        double kvWidth = mla == null ? (double) model.kvHeads() * model.headDim() / t : mla.cachedElementsPerToken();
        // decode attention reads, per context token: the K and V of H_r = (1 − r)·H + r·H_kv heads (GQA), or the one
        // latent all heads share (MLA)
        double headsRead = (1 - c.decodeAttentionGqaReuse()) * model.heads() + c.decodeAttentionGqaReuse() * model.kvHeads();
        double decodeElementsPerToken = mla == null ? 2 * headsRead / t * model.headDim() : mla.cachedElementsPerToken();

        this.secondsPerPair = 2.0 * (queryWidth + valueWidth) / flops;
        this.secondsPerPrefillToken = c.attentionTrafficFactor() * (mla == null
                ? 2 * (queryWidth + kvWidth) : 2 * (queryWidth + valueWidth)) * RooflineStepTimeModel.ACTIVATION_BYTES / hbm;
        this.floorSeconds = c.attentionFloorMicros() * MICROS;
        this.queryHeadsPerGpu = (double) model.heads() / t;
        this.decodeSecondsPerToken = decodeElementsPerToken * model.kvBytesPerElement()
                / (hbm * c.decodeAttentionEfficiency());
        this.decodeParallelSlots = c.decodeAttentionParallelSlots();
        this.decodeSecondsPerHead = c.decodeAttentionPerHeadMicros() * MICROS;
    }

    /** Prefill and decode attention of {@code batch}, the decode floor scaled by {@code floorFactor} (φ or 1). */
    double seconds(BatchShape batch, double floorFactor) {
        return prefillSeconds(batch.prefillTokens, batch.prefillAttentionPairs, batch.prefillContextTokens,
                batch.prefillSequences) + decodeSeconds(batch.decodeSequences, batch.decodeContextTokens, floorFactor);
    }

    /**
     * Prefill attention of one layer (FlashAttention over the chunks of S sequences): τ_a + 4 · (H·d/t) · pairs /
     * (F · η_a) + γ_a · 2 · (H + H_kv)·d/t · 2 B · prefillTokens / M + cached context · perToken(S), the cached
     * context read at decode attention's per-token cost for S sequences; 0 without prefill tokens. Pairs count
     * (query, key) pairs under the causal mask.
     */
    public double prefillSeconds(long prefillTokens, double pairs, long cachedContextTokens, int sequences) {
        if (prefillTokens == 0) {
            return 0;
        }
        return floorSeconds + pairs * secondsPerPair + prefillTokens * secondsPerPrefillToken
                + (cachedContextTokens == 0 ? 0 : cachedContextTokens * decodeSecondsPerToken(sequences));
    }

    /**
     * Seconds per context token of decode attention for B sequences: 2 · (H_r·d/t) · b_kv / (M · μ_a), slowed by
     * max(1, W / (B · H/t)) while the (sequence, head) pairs are too few to fill the GPU. H_r = (1 − r)·H + r·H_kv
     * heads are read: every query head reads its KV (r = 0) or a KV head is read once for its group (r = 1).
     */
    public double decodeSecondsPerToken(int sequences) {
        return decodeSecondsPerToken * Math.max(1.0, decodeParallelSlots / (sequences * queryHeadsPerGpu));
    }

    /**
     * Decode attention of one layer: floorFactor · τ_a + α · B · H/t + x · perToken(B), x the context tokens of the B
     * sequences (α per sequence and query head on the GPU); 0 without decodes.
     */
    public double decodeSeconds(int sequences, long contextTokens, double floorFactor) {
        if (sequences == 0) {
            return 0;
        }
        return floorFactor * floorSeconds + sequences * queryHeadsPerGpu * decodeSecondsPerHead
                + contextTokens * decodeSecondsPerToken(sequences);
    }
}
