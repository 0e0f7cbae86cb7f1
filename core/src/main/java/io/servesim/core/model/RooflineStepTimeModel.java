package io.servesim.core.model;

import io.servesim.core.hardware.GpuSpec;

/**
 * The roofline step-time model: every formula of ServeSim's performance physics, one named method per term.
 * {@code docs/model.md} states the same equations with units and a worked example.
 *
 * <p>A replica runs the model on t · p GPUs: tensor parallelism t splits every layer's weights, heads and KV
 * cache over t GPUs, pipeline parallelism p splits the L layers into p consecutive stages. Stage s holds
 * ⌊L/p⌋ layers, plus one for the first L mod p stages, so the first stage is the largest; the last stage
 * also runs the LM head. {@link #stageSeconds(BatchShape, int)} is the time of one stage,
 * L_s · layer (+ lmHead on the last stage) + iteration overhead, which the engine's pipeline uses stage by stage;
 * {@link #stageSeconds(BatchShape)} is the slowest of them, max(L_first · layer, L_last · layer + lmHead) + overhead.
 *
 * <p>Within a layer the linear layers (GEMMs over the weights) and attention (over the KV cache) are separate
 * kernels that run one after the other, so each is its own roofline and their times add:
 * <pre>
 *   layer = max(linearCompute, weightRead) + max(attentionCompute, kvTraffic) + tensorParallel + layerOverhead
 * </pre>
 * Activations are not counted as memory traffic (they are small next to weights and KV, and large batches are
 * compute-bound), nor is the embedding lookup.
 *
 * <p>All coefficients are precomputed in the constructor: {@link #stageSeconds} is a few multiply-adds and
 * maxima, without allocation, so the engine may call it in its innermost loop.
 */
public final class RooflineStepTimeModel implements StepTimeModel {

    private final ModelSpec model;
    private final GpuSpec gpu;
    private final int tensorParallel;
    private final int pipelineStages;
    private final int firstStageLayers;
    private final int lastStageLayers;

    private final double linearSecondsPerToken;
    private final double weightReadSecondsPerLayer;
    private final double attentionSecondsPerPair;
    private final double kvSecondsPerToken;
    private final double allReduceLatencySeconds;
    private final double allReduceSecondsPerToken;
    private final double layerOverheadSeconds;
    private final double lmHeadSecondsPerToken;
    private final double lmHeadWeightReadSeconds;
    private final double iterationOverheadSeconds;
    private final double stageTransferLatencySeconds;
    private final double stageTransferSecondsPerToken;

    /**
     * @param model          the model
     * @param gpu            the GPU type of every GPU of the replica
     * @param tensorParallel TP degree t (divides the model's heads and KV heads)
     * @param pipelineStages PP degree p (at most the model's layers)
     * @param allReduce      cost of one all-reduce over a stage's t GPUs ({@link TransferCost#NONE} when t = 1);
     *                       with several stages, the slowest stage's group
     * @param stageTransfer  cost of sending activations from one stage to the next ({@link TransferCost#NONE}
     *                       when p = 1); with several stage boundaries, the slowest one
     */
    public RooflineStepTimeModel(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages,
                                 TransferCost allReduce, TransferCost stageTransfer) {
        if (tensorParallel < 1 || model.heads() % tensorParallel != 0 || model.kvHeads() % tensorParallel != 0) {
            throw new IllegalArgumentException("tensor-parallel degree " + tensorParallel
                    + " must divide heads " + model.heads() + " and KV heads " + model.kvHeads());
        }
        if (pipelineStages < 1 || pipelineStages > model.layers()) {
            throw new IllegalArgumentException("pipeline stages " + pipelineStages
                    + " must be in [1, " + model.layers() + "]");
        }
        this.model = model;
        this.gpu = gpu;
        this.tensorParallel = tensorParallel;
        this.pipelineStages = pipelineStages;
        this.firstStageLayers = stageLayers(model.layers(), pipelineStages, 0);
        this.lastStageLayers = stageLayers(model.layers(), pipelineStages, pipelineStages - 1);

        double flopsPerSecond = gpu.effectiveFlopsPerSecond();
        double bytesPerSecond = gpu.effectiveMemoryBytesPerSecond();
        double t = tensorParallel;
        double bytes = model.bytesPerParam();
        double activationBytesPerToken = model.hidden() * bytes;

        this.linearSecondsPerToken = 2.0 * model.paramsPerLayer() / t / flopsPerSecond;
        this.weightReadSecondsPerLayer = model.paramsPerLayer() * bytes / t / bytesPerSecond;
        this.attentionSecondsPerPair = 4.0 * model.hidden() / t / flopsPerSecond;
        this.kvSecondsPerToken = model.kvBytesPerToken() / model.layers() / t / bytesPerSecond;
        this.allReduceLatencySeconds = 2 * allReduce.latencySeconds();
        this.allReduceSecondsPerToken = 2 * activationBytesPerToken * allReduce.secondsPerByte();
        this.layerOverheadSeconds = gpu.layerOverheadMicros() * 1e-6;
        this.lmHeadSecondsPerToken = 2.0 * model.vocabParams() / t / flopsPerSecond;
        this.lmHeadWeightReadSeconds = model.vocabParams() * bytes / t / bytesPerSecond;
        this.iterationOverheadSeconds = gpu.iterationOverheadMicros() * 1e-6;
        this.stageTransferLatencySeconds = pipelineStages == 1 ? 0 : stageTransfer.latencySeconds();
        this.stageTransferSecondsPerToken = pipelineStages == 1 ? 0 : activationBytesPerToken * stageTransfer.secondsPerByte();
    }

    /** A replica of one GPU: no tensor or pipeline parallelism, no communication. */
    public static RooflineStepTimeModel singleGpu(ModelSpec model, GpuSpec gpu) {
        return new RooflineStepTimeModel(model, gpu, 1, 1, TransferCost.NONE, TransferCost.NONE);
    }

    /**
     * Layers of stage {@code stage} when {@code layers} are split over {@code stages}: ⌊L/p⌋, plus one for the
     * first L mod p stages.
     */
    public static int stageLayers(int layers, int stages, int stage) {
        return layers / stages + (stage < layers % stages ? 1 : 0);
    }

    // ---- terms of one layer on one GPU --------------------------------------------------------------------

    /**
     * Linear-layer compute of one layer: FLOPs = 2 · paramsPerLayer · tokens / t, seconds = FLOPs / (peak · computeEfficiency),
     * where tokens = prefill tokens + decode sequences.
     */
    public double linearComputeSeconds(long tokens) {
        return tokens * linearSecondsPerToken;
    }

    /** Weight read of one layer: bytes = paramsPerLayer · bytesPerParam / t, seconds = bytes / (HBM bandwidth · memoryEfficiency). */
    public double weightReadSeconds() {
        return weightReadSecondsPerLayer;
    }

    /**
     * Attention compute of one layer (QKᵀ and AV, 2 FLOPs per multiply-add each):
     * FLOPs = 4 · hidden · (prefillAttentionPairs + decodeContextTokens) / t,
     * seconds = FLOPs / (peak · computeEfficiency).
     */
    public double attentionComputeSeconds(double attentionPairs) {
        return attentionPairs * attentionSecondsPerPair;
    }

    /**
     * KV-cache traffic of one layer: the cached context read by decodes and later prefill chunks, plus the K and V of
     * the new tokens written: bytes = (decodeContextTokens + prefillContextTokens + tokens) · kvBytesPerToken / layers / t,
     * seconds = bytes / (HBM bandwidth · memoryEfficiency).
     */
    public double kvTrafficSeconds(double kvTokens) {
        return kvTokens * kvSecondsPerToken;
    }

    /**
     * Tensor-parallel communication of one layer: two all-reduces (after attention and after the MLP) of
     * tokens · hidden · bytesPerParam bytes each, 2 · allReduce(bytes) on the stage's GPU group; 0 when t = 1.
     */
    public double tensorParallelSeconds(long tokens) {
        return allReduceLatencySeconds + tokens * allReduceSecondsPerToken;
    }

    /** Fixed time per layer per iteration: GpuSpec.layerOverheadMicros · 10⁻⁶. */
    public double layerOverheadSeconds() {
        return layerOverheadSeconds;
    }

    /**
     * One layer: max(linearCompute, weightRead) + max(attentionCompute, kvTraffic) + tensorParallel + layerOverhead.
     */
    public double layerSeconds(BatchShape batch) {
        long tokens = batch.totalTokens();
        return Math.max(linearComputeSeconds(tokens), weightReadSeconds())
                + Math.max(attentionComputeSeconds(attentionPairs(batch)), kvTrafficSeconds(kvTokens(batch)))
                + tensorParallelSeconds(tokens)
                + layerOverheadSeconds;
    }

    // ---- terms of the stage and the iteration -------------------------------------------------------------

    /**
     * The LM head (vocabulary projection, split over t) on the last stage, for the tokens that produce logits,
     * approximated by decodeSequences + prefillSequences (a prefill chunk that does not finish its prompt is
     * counted too): max(2 · hidden · vocab · logitTokens / t / (peak · computeEfficiency),
     * hidden · vocab · bytesPerParam / t / (HBM bandwidth · memoryEfficiency)).
     */
    public double lmHeadSeconds(int logitTokens) {
        return Math.max(logitTokens * lmHeadSecondsPerToken, lmHeadWeightReadSeconds);
    }

    /** Fixed time per iteration and stage: GpuSpec.iterationOverheadMicros · 10⁻⁶. */
    public double iterationOverheadSeconds() {
        return iterationOverheadSeconds;
    }

    /**
     * The slowest stage: max(L_first · layer, L_last · layer + lmHead) + iterationOverhead, where L_first = ⌈L/p⌉ and
     * L_last = ⌊L/p⌋ (equal to L when p = 1).
     */
    @Override
    public double stageSeconds(BatchShape batch) {
        double layer = layerSeconds(batch);
        double lastStage = lastStageLayers * layer + lmHeadSeconds(logitTokens(batch));
        return Math.max(firstStageLayers * layer, lastStage) + iterationOverheadSeconds;
    }

    /** Stage {@code stage}: L_s · layer, plus lmHead on the last stage, + iterationOverhead. */
    @Override
    public double stageSeconds(BatchShape batch, int stage) {
        double layers = stageLayers(model.layers(), pipelineStages, stage) * layerSeconds(batch);
        double withHead = stage == pipelineStages - 1 ? layers + lmHeadSeconds(logitTokens(batch)) : layers;
        return withHead + iterationOverheadSeconds;
    }

    /** The all-reduces of stage {@code stage}: L_s · tensorParallel(N); 0 when t = 1. */
    @Override
    public double communicationSeconds(BatchShape batch, int stage) {
        return stageLayers(model.layers(), pipelineStages, stage) * tensorParallelSeconds(batch.totalTokens());
    }

    /**
     * Activations sent to the next stage: tokens · hidden · bytesPerParam bytes over the slowest stage-to-stage route,
     * latency + bytes / bottleneck bandwidth; 0 when p = 1.
     */
    @Override
    public double stageTransferSeconds(BatchShape batch) {
        return stageTransferLatencySeconds + batch.totalTokens() * stageTransferSecondsPerToken;
    }

    @Override
    public int pipelineStages() {
        return pipelineStages;
    }

    @Override
    public int tensorParallel() {
        return tensorParallel;
    }

    public ModelSpec model() {
        return model;
    }

    public GpuSpec gpu() {
        return gpu;
    }

    /**
     * The terms of the slowest stage (the last one when its layers plus the LM head take at least as long as the
     * first stage's layers). Linear compute and weight read include the LM head on the last stage; the stage is
     * compute-bound when its compute terms add up to at least its memory terms.
     */
    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        long tokens = batch.totalTokens();
        double layer = layerSeconds(batch);
        double lmHead = lmHeadSeconds(logitTokens(batch));
        boolean lastBinds = lastStageLayers * layer + lmHead >= firstStageLayers * layer;
        int layers = lastBinds ? lastStageLayers : firstStageLayers;
        int lmTokens = lastBinds ? logitTokens(batch) : 0;
        double lmWeights = lastBinds ? lmHeadWeightReadSeconds : 0;

        double linear = layers * linearComputeSeconds(tokens) + lmTokens * lmHeadSecondsPerToken;
        double attention = layers * attentionComputeSeconds(attentionPairs(batch));
        double weights = layers * weightReadSeconds() + lmWeights;
        double kv = layers * kvTrafficSeconds(kvTokens(batch));
        double communication = layers * tensorParallelSeconds(tokens);
        double overhead = layers * layerOverheadSeconds + iterationOverheadSeconds;
        return new StepTimeBreakdown(linear, attention, weights, kv, linear + attention >= weights + kv,
                communication, overhead, stageSeconds(batch));
    }

    /**
     * Decode-only iterations without pipeline parallelism in closed form: with B sequences and context sum x,
     * stage = L · (max(B · linear, weights) + max(x · attention, (x + B) · kv) + TP(B) + layerOverhead) + lmHead(B)
     * + iterationOverhead, i.e. c + max(a1·x + b1, a2·x + b2) with a1 = L · attention, b1 = 0, a2 = L · kv,
     * b2 = L · kv · B. Null with pipeline parallelism (pipelined iterations are stepped one by one).
     */
    @Override
    public DecodeCost decodeCost(int sequences) {
        if (pipelineStages != 1) {
            return null;
        }
        int layers = model.layers();
        double constant = layers * (Math.max(linearComputeSeconds(sequences), weightReadSeconds())
                + tensorParallelSeconds(sequences) + layerOverheadSeconds)
                + lmHeadSeconds(sequences) + iterationOverheadSeconds;
        return new DecodeCost(constant, layers * attentionSecondsPerPair, 0, layers * kvSecondsPerToken,
                layers * kvSecondsPerToken * sequences);
    }

    private static double attentionPairs(BatchShape batch) {
        return batch.prefillAttentionPairs + batch.decodeContextTokens;
    }

    private static double kvTokens(BatchShape batch) {
        return (double) batch.decodeContextTokens + batch.prefillContextTokens + batch.totalTokens();
    }

    private static int logitTokens(BatchShape batch) {
        return batch.decodeSequences + batch.prefillSequences;
    }
}
