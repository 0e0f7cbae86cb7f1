package io.servesim.core.model;

import io.servesim.core.hardware.GpuSpec;

/**
 * The work of one iteration over all GPUs of a replica, as the step-time model counts it: the model FLOPs it performs
 * and the bytes it reads from HBM, the numerators of MFU and MBU ({@code docs/model.md}, "Utilisation").
 * <pre>
 *   FLOPs = 2 · N · P_layers + 2 · G · P_vocab + 2 · L · (w_q + w_v) · (pairs + x)
 *   bytes = b · (P_resident + L_moe · D(N) · P_expert) + L · e_kv · (x + x_cached)
 * </pre>
 * N tokens pass the layers (prefill tokens + decode sequences), G of them produce logits; P_layers are the weights a
 * token passes in all layers (an MoE layer's router, k routed and the shared experts), P_vocab the LM head; attention
 * takes 2 · (w_q + w_v) FLOPs per (query, key) pair, w_q and w_v the widths of all query and value heads, over the
 * causal pairs of the prefill chunks and the x context tokens the decode sequences attend to. Every iteration with
 * tokens reads the weights each GPU holds (P_resident: the layers' dense weights, the LM head, the router on every GPU
 * of a stage) and the D(N) distinct routed experts its tokens touch; the KV cache is read once per context token of
 * a decode and per cached token a prefill chunk attends to, e_kv bytes per token and layer (on every GPU of a stage
 * for a latent cache, which tensor parallelism does not split). Activations, the KV written and communication are not
 * counted, as in the usual definition of MBU (weights + KV cache per step).
 *
 * <p>Pure; a few multiply-adds without allocation (a sum over experts for an MoE model), so the engine may call it
 * for every iteration. Within a run of decode iterations of B sequences both counts are affine in the context sum x:
 * {@link #decodeFlops}(B, 0) + x · {@link #flopsPerContextToken()}, and likewise for bytes.
 */
public final class IterationWork {
    private final double linearFlopsPerToken;
    private final double logitFlopsPerToken;
    private final double attentionFlopsPerPair;
    private final double residentWeightBytes;
    private final double expertWeightBytesPerExpert;
    private final ExpertRouting routing;
    private final double kvBytesPerContextToken;
    private final double peakFlopsPerGpu;
    private final double peakBytesPerGpu;
    private final int gpus;

    IterationWork(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages, ExpertRouting routing) {
        MixtureOfExperts moe = model.moe();
        int layers = model.layers();
        int moeLayers = model.moeLayers();
        double bytes = model.bytesPerParam();
        LatentAttention mla = model.mla();
        double queryWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.qkHeadDim());
        double valueWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.vHeadDim());
        this.linearFlopsPerToken = 2.0 * ((double) model.denseLayers() * model.denseLayerParams()
                + (double) moeLayers * model.activeParamsPerLayer());
        this.logitFlopsPerToken = 2.0 * model.vocabParams();
        this.attentionFlopsPerPair = 2.0 * layers * (queryWidth + valueWidth);
        double moeResident = moe == null ? 0 : model.attentionParams() + (double) moe.sharedExperts() * model.expertParams()
                + (double) tensorParallel * model.routerParams();
        this.residentWeightBytes = bytes * ((double) model.denseLayers() * model.denseLayerParams()
                + moeLayers * moeResident + model.vocabParams());
        this.expertWeightBytesPerExpert = bytes * moeLayers * (double) model.expertParams();
        this.routing = routing;
        this.kvBytesPerContextToken = model.kvBytesPerToken() * (model.kvCacheSplitByTensorParallel() ? 1 : tensorParallel);
        this.peakFlopsPerGpu = gpu.peakFlopsPerSecond(model.bytesPerParam());
        this.peakBytesPerGpu = gpu.memoryBytesPerSecond();
        this.gpus = tensorParallel * pipelineStages;
    }

    /** Model FLOPs of the iteration {@code batch}, over all GPUs of the replica. */
    public double flops(BatchShape batch) {
        long tokens = batch.totalTokens();
        int logits = batch.decodeSequences + batch.prefillSequences;
        return tokens * linearFlopsPerToken + logits * logitFlopsPerToken
                + (batch.prefillAttentionPairs + batch.decodeContextTokens) * attentionFlopsPerPair;
    }

    /** Bytes the iteration {@code batch} reads from HBM (weights and KV cache), over all GPUs of the replica. */
    public double hbmBytes(BatchShape batch) {
        long tokens = batch.totalTokens();
        if (tokens == 0) {
            return 0;
        }
        return weightBytes(tokens) + (batch.decodeContextTokens + batch.prefillContextTokens) * kvBytesPerContextToken;
    }

    /** FLOPs of a decode iteration of {@code sequences} sequences whose contexts sum to {@code contextTokens}. */
    public double decodeFlops(int sequences, long contextTokens) {
        return sequences * (linearFlopsPerToken + logitFlopsPerToken) + contextTokens * attentionFlopsPerPair;
    }

    /** HBM bytes of a decode iteration of {@code sequences} sequences whose contexts sum to {@code contextTokens}. */
    public double decodeHbmBytes(int sequences, long contextTokens) {
        return sequences == 0 ? 0 : weightBytes(sequences) + contextTokens * kvBytesPerContextToken;
    }

    /** d FLOPs / d x of a decode iteration: the attention FLOPs of one more context token. */
    public double flopsPerContextToken() {
        return attentionFlopsPerPair;
    }

    /** d bytes / d x of a decode iteration: the KV cache of one more context token. */
    public double hbmBytesPerContextToken() {
        return kvBytesPerContextToken;
    }

    /** Peak FLOP/s of one GPU for the model's weight precision: the MFU's denominator per GPU and second. */
    public double peakFlopsPerSecondPerGpu() {
        return peakFlopsPerGpu;
    }

    /** HBM bandwidth of one GPU, bytes/s: the MBU's denominator per GPU and second. */
    public double peakBytesPerSecondPerGpu() {
        return peakBytesPerGpu;
    }

    /** MFU of {@code flops} done over {@code seconds} by the replica: flops / (GPUs · peak FLOP/s · seconds). */
    public double mfu(double flops, double seconds) {
        return flops / (gpus * seconds * peakFlopsPerGpu);
    }

    /** MBU of {@code bytes} read over {@code seconds} by the replica: bytes / (GPUs · HBM bandwidth · seconds). */
    public double mbu(double bytes, double seconds) {
        return bytes / (gpus * seconds * peakBytesPerGpu);
    }

    /** GPUs of the replica (t · p) the counts are over. */
    public int gpus() {
        return gpus;
    }

    private double weightBytes(long tokens) {
        return routing == null ? residentWeightBytes
                : residentWeightBytes + routing.distinctExperts(tokens) * expertWeightBytesPerExpert;
    }
}
