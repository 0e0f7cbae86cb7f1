package io.servesim.core.model;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;

/**
 * The calibrated roofline step-time model: every formula of ServeSim's performance physics, one named method per
 * term, with coefficients fitted on measured kernels and serving runs ({@link GpuCalibration}).
 * {@code docs/model.md} states the same equations with units; {@code docs/calibration.md} how they were fitted.
 *
 * <p>A replica runs the model on t · p GPUs: tensor parallelism t splits every layer's weights, heads and KV
 * cache over t GPUs, pipeline parallelism p splits the L layers into p consecutive stages. Stage s holds
 * ⌊L/p⌋ layers, plus one for the first L mod p stages, so the first stage is the largest; the last stage
 * also runs the LM head.
 *
 * <p>One layer on one GPU is a sequence of kernels whose times add:
 * <pre>
 *   layer = gemm(N) + prefillAttention + decodeAttention + elementwise(N) + tensorParallel(N)
 *   gemm(N)  = max(2·P·(N + N½) / (t·F·η∞), P·b / (t·M·μ)) + 4·φ·τ_g      (fused QKV, O, gate-up, down)
 * </pre>
 * where N is the tokens through the linear layers (prefill tokens + decode sequences). The efficiency of a GEMM
 * grows with its tokens as η∞·N/(N + N½), which makes its compute time affine in N. Decode iterations of at most
 * {@code graphMaxBatch} sequences replay a CUDA graph: their kernel floors shrink by φ and their host overhead is
 * O_g instead of O_e.
 *
 * <p>A mixture-of-experts model's layer keeps here what every token passes (attention, shared experts, element-wise
 * kernels) and adds the router, the routed experts and the expert-parallel traffic of {@link ExpertLayerTerms}; its
 * GEMMs here are the attention's and the shared experts' (2 or 4 kernels). With expert parallelism (n &gt; 1) the layer
 * has one all-reduce (after attention); the experts' outputs come back by all-to-all. Latent attention (MLA) reads one
 * compressed latent per token for all heads in decode.
 *
 * <p>All coefficients are precomputed in the constructor: {@link #stageSeconds} is a few multiply-adds and
 * maxima, without allocation, so the engine may call it in its innermost loop.
 */
public final class RooflineStepTimeModel implements StepTimeModel {

    /** GEMM kernels of one layer as vLLM runs them: fused QKV, O, fused gate-up, down. */
    public static final int GEMM_KERNELS_PER_LAYER = 4;
    /** Bytes of one activation element (BF16 activations whatever the weight precision). */
    public static final double ACTIVATION_BYTES = 2;
    private static final double MICROS = 1e-6;

    private final ModelSpec model;
    private final GpuSpec gpu;
    private final int tensorParallel;
    private final int pipelineStages;
    private final int firstStageLayers;
    private final int lastStageLayers;
    private final int graphMaxBatch;
    private final double graphFloorFactor;
    private final int expertParallel;
    private final ExpertLayerTerms experts;
    private final int gemmKernelsPerLayer;
    private final int[] stageDenseLayers;
    private final boolean denseLayersInMoeModel;

    private final double gemmSecondsPerToken;
    private final double gemmInterceptSeconds;
    private final double weightReadSeconds;
    private final double gemmFloorSeconds;
    private final double lmHeadSecondsPerToken;
    private final double lmHeadInterceptSeconds;
    private final double lmHeadWeightReadSeconds;
    private final double attentionSecondsPerPair;
    private final double attentionSecondsPerPrefillToken;
    private final double attentionFloorSeconds;
    private final double decodeAttentionSecondsPerToken;
    private final double decodeAttentionParallelSlots;
    private final double queryHeadsPerGpu;
    private final double decodeAttentionSecondsPerHead;
    private final double elementwiseFloorSeconds;
    private final double elementwiseSecondsPerToken;
    private final double allReduceLatencySeconds;
    private final double allReduceSecondsPerToken;
    private final double iterationOverheadSeconds;
    private final double graphIterationOverheadSeconds;
    private final double perSequenceOverheadSeconds;
    private final double stageTransferLatencySeconds;
    private final double stageTransferSecondsPerToken;

    /**
     * @param model          the model (its bytes per parameter set the weight precision)
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
        this(model, gpu, tensorParallel, pipelineStages, 1, allReduce, stageTransfer, TransferCost.NONE,
                TransferCost.NONE);
    }

    /**
     * A replica with expert parallelism: as above, and
     *
     * @param expertParallel  n, expert-parallel ranks of each stage's t GPUs (divides t and the experts; 1 for a dense
     *                        model)
     * @param allToAll        all-to-all over a stage's n ranks ({@link TransferCost#NONE} when n = 1)
     * @param expertAllReduce all-reduce over one rank's t/n GPUs ({@link TransferCost#NONE} when t/n = 1)
     */
    public RooflineStepTimeModel(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages,
                                 int expertParallel, TransferCost allReduce, TransferCost stageTransfer,
                                 TransferCost allToAll, TransferCost expertAllReduce) {
        if (expertParallel != 1 && (!model.hasExperts() || tensorParallel % expertParallel != 0
                || model.moe().experts() % expertParallel != 0)) {
            throw new IllegalArgumentException("expert-parallel degree " + expertParallel + " needs experts and must"
                    + " divide the TP degree " + tensorParallel + " and the experts");
        }
        if (tensorParallel < 1 || model.heads() % tensorParallel != 0 || model.kvHeads() % tensorParallel != 0) {
            throw new IllegalArgumentException("tensor-parallel degree " + tensorParallel
                    + " must divide heads " + model.heads() + " and KV heads " + model.kvHeads());
        }
        if (pipelineStages < 1 || pipelineStages > model.layers()) {
            throw new IllegalArgumentException("pipeline stages " + pipelineStages
                    + " must be in [1, " + model.layers() + "]");
        }
        if (!gpu.supportsWeightBytes(model.bytesPerParam())) {
            throw new IllegalArgumentException(gpu.name() + " has no tensor cores for "
                    + model.bytesPerParam() + "-byte weights (peak_fp8_tflops is 0)");
        }
        this.model = model;
        this.gpu = gpu;
        this.tensorParallel = tensorParallel;
        this.pipelineStages = pipelineStages;
        this.firstStageLayers = stageLayers(model.layers(), pipelineStages, 0);
        this.lastStageLayers = stageLayers(model.layers(), pipelineStages, pipelineStages - 1);
        GpuCalibration c = gpu.calibration();
        this.graphMaxBatch = c.graphMaxBatch();
        this.graphFloorFactor = c.graphFloorFactor();

        this.expertParallel = expertParallel;
        MixtureOfExperts moe = model.moe();
        this.experts = moe == null ? null : new ExpertLayerTerms(model, gpu, tensorParallel, expertParallel, allToAll,
                expertAllReduce, allReduce);
        this.gemmKernelsPerLayer = moe == null ? GEMM_KERNELS_PER_LAYER : moe.sharedExperts() > 0 ? 4 : 2;
        this.stageDenseLayers = new int[pipelineStages];
        boolean anyDense = false;
        for (int s = 0; moe != null && s < pipelineStages; s++) {
            stageDenseLayers[s] = stageLayers(model.layers(), pipelineStages, s) - model.stageMoeLayers(pipelineStages, s);
            anyDense |= stageDenseLayers[s] > 0;
        }
        this.denseLayersInMoeModel = anyDense;

        double t = tensorParallel;
        double gemmFlops = gpu.peakFlopsPerSecond(model.bytesPerParam()) * c.gemmEfficiency();
        double attentionFlops = gpu.peakFlopsPerSecond(ACTIVATION_BYTES) * c.attentionEfficiency();
        double hbm = gpu.memoryBytesPerSecond();
        double weightBytes = model.bytesPerParam();
        double paramsPerGpu = model.denseParamsPerLayer() / t;
        double vocabPerGpu = model.vocabParams() / t;
        LatentAttention mla = model.mla();
        double queryWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.qkHeadDim()) / t;
        double valueWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.vHeadDim()) / t;
        double kvWidth = mla == null ? (double) model.kvHeads() * model.headDim() / t : mla.cachedElementsPerToken();
        double kvBytesPerElement = model.kvBytesPerElement();
        // decode attention reads, per context token: the K and V of H_r = (1 − r)·H + r·H_kv heads (GQA), or the one
        // latent all heads share (MLA)
        double headsRead = (1 - c.decodeAttentionGqaReuse()) * model.heads() + c.decodeAttentionGqaReuse() * model.kvHeads();
        double decodeElementsPerToken = mla == null ? 2 * headsRead / t * model.headDim() : mla.cachedElementsPerToken();
        double mlpWidth = moe == null ? model.ffnHidden() : (double) moe.sharedExperts() * moe.expertFfnHidden();

        this.gemmSecondsPerToken = 2.0 * paramsPerGpu / gemmFlops;
        this.gemmInterceptSeconds = gemmSecondsPerToken * c.gemmHalfTokens();
        this.weightReadSeconds = paramsPerGpu * weightBytes / (hbm * c.memoryEfficiency());
        this.gemmFloorSeconds = c.gemmFloorMicros() * MICROS;
        this.lmHeadSecondsPerToken = 2.0 * vocabPerGpu / gemmFlops;
        this.lmHeadInterceptSeconds = lmHeadSecondsPerToken * c.gemmHalfTokens();
        this.lmHeadWeightReadSeconds = vocabPerGpu * weightBytes / (hbm * c.memoryEfficiency());
        this.attentionSecondsPerPair = 2.0 * (queryWidth + valueWidth) / attentionFlops;
        this.attentionSecondsPerPrefillToken = c.attentionTrafficFactor() * (mla == null
                ? 2 * (queryWidth + kvWidth) : 2 * (queryWidth + valueWidth)) * ACTIVATION_BYTES / hbm;
        this.attentionFloorSeconds = c.attentionFloorMicros() * MICROS;
        this.queryHeadsPerGpu = (double) model.heads() / t;
        this.decodeAttentionSecondsPerToken = decodeElementsPerToken * kvBytesPerElement
                / (hbm * c.decodeAttentionEfficiency());
        this.decodeAttentionParallelSlots = c.decodeAttentionParallelSlots();
        this.decodeAttentionSecondsPerHead = c.decodeAttentionPerHeadMicros() * MICROS;
        this.elementwiseFloorSeconds = c.elementwiseFloorMicros() * MICROS;
        this.elementwiseSecondsPerToken = c.elementwiseTrafficFactor()
                * (2.0 * model.hidden() + queryWidth + kvWidth + mlpWidth / t) * ACTIVATION_BYTES / hbm;
        double activationBytesPerToken = model.hidden() * ACTIVATION_BYTES;
        int allReduces = expertParallel > 1 ? 1 : 2;
        this.allReduceLatencySeconds = allReduces * allReduce.latencySeconds();
        this.allReduceSecondsPerToken = allReduces * activationBytesPerToken * allReduce.secondsPerByte();
        this.iterationOverheadSeconds = c.iterationOverheadMicros() * MICROS;
        this.graphIterationOverheadSeconds = c.graphIterationOverheadMicros() * MICROS;
        this.perSequenceOverheadSeconds = c.perSequenceOverheadMicros() * MICROS;
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
     * Whether the batch replays a CUDA graph: decode only, at most {@code graphMaxBatch} sequences. Prefill and
     * mixed iterations run eagerly.
     */
    public boolean cudaGraph(BatchShape batch) {
        return batch.prefillTokens == 0 && batch.decodeSequences <= graphMaxBatch;
    }

    /** Share of the kernel floors an iteration pays: φ with a CUDA graph, 1 eagerly. */
    private double floorFactor(boolean graph) {
        return graph ? graphFloorFactor : 1;
    }

    /**
     * Compute side of one layer's GEMMs for N tokens, 2 · P · (N + N½) / (t · F · η∞): FLOPs 2·P·N/t at an
     * efficiency η∞ · N / (N + N½) that grows with the tokens. F is the peak of the weights' precision.
     */
    public double gemmComputeSeconds(long tokens) {
        return gemmInterceptSeconds + tokens * gemmSecondsPerToken;
    }

    /** Weight read of one layer: P · b / (t · M · μ). */
    public double weightReadSeconds() {
        return weightReadSeconds;
    }

    /** The fixed time τ_g of one GEMM kernel launched eagerly. */
    public double gemmKernelFloorSeconds() {
        return gemmFloorSeconds;
    }

    /**
     * One layer's GEMMs: max(compute, weight read) + 4 · floor · τ_g (all four GEMMs of a layer see the same N, so
     * they sit on the same side of the ridge and their maxima add up to the maximum of the sums); 0 without tokens.
     * For an MoE layer these are the attention's and shared experts' GEMMs (2 or 4 kernels; {@link #experts()} adds
     * the router's and the routed experts').
     */
    public double gemmSeconds(long tokens, boolean graph) {
        if (tokens == 0) {
            return 0;
        }
        return Math.max(gemmComputeSeconds(tokens), weightReadSeconds)
                + gemmKernelsPerLayer * floorFactor(graph) * gemmFloorSeconds;
    }

    /**
     * Prefill attention of one layer (FlashAttention over the chunks of S sequences): τ_a + 4 · (H·d/t) · pairs /
     * (F · η_a) + γ_a · 2 · (H + H_kv)·d/t · 2 B · prefillTokens / M + cached context · perToken(S), the cached
     * context read at decode attention's per-token cost for S sequences; 0 without prefill tokens. Pairs count
     * (query, key) pairs under the causal mask.
     */
    public double prefillAttentionSeconds(long prefillTokens, double pairs, long cachedContextTokens, int sequences) {
        if (prefillTokens == 0) {
            return 0;
        }
        return attentionFloorSeconds + pairs * attentionSecondsPerPair + prefillTokens * attentionSecondsPerPrefillToken
                + (cachedContextTokens == 0 ? 0 : cachedContextTokens * decodeAttentionSecondsPerToken(sequences));
    }

    /**
     * Seconds per context token of decode attention for B sequences: 2 · (H_r·d/t) · b_kv / (M · μ_a), slowed by
     * max(1, W / (B · H/t)) while the (sequence, head) pairs are too few to fill the GPU. H_r = (1 − r)·H + r·H_kv
     * heads are read: every query head reads its KV (r = 0) or a KV head is read once for its group (r = 1).
     */
    public double decodeAttentionSecondsPerToken(int sequences) {
        return decodeAttentionSecondsPerToken
                * Math.max(1.0, decodeAttentionParallelSlots / (sequences * queryHeadsPerGpu));
    }

    /**
     * Decode attention of one layer: φ·τ_a + α · B · H/t + x · perToken(B), x the context tokens of the B sequences
     * (α per sequence and query head on the GPU); 0 without decodes.
     */
    public double decodeAttentionSeconds(int sequences, long contextTokens, boolean graph) {
        if (sequences == 0) {
            return 0;
        }
        return floorFactor(graph) * attentionFloorSeconds + sequences * queryHeadsPerGpu * decodeAttentionSecondsPerHead
                + contextTokens * decodeAttentionSecondsPerToken(sequences);
    }

    /**
     * Element-wise kernels of one layer (two norms, rotary embedding, activation): φ·τ_e + γ_e · (2h + (H + H_kv)·d/t
     * + f/t) · 2 B · N / M; 0 without tokens.
     */
    public double elementwiseSeconds(long tokens, boolean graph) {
        if (tokens == 0) {
            return 0;
        }
        return floorFactor(graph) * elementwiseFloorSeconds + tokens * elementwiseSecondsPerToken;
    }

    /**
     * Tensor-parallel communication of one layer: two all-reduces (after attention and after the MLP) of
     * tokens · hidden · 2 B each, 2 · allReduce(bytes) on the stage's GPU group; 0 when t = 1. With expert
     * parallelism only the one after attention (the experts' outputs return by all-to-all).
     */
    public double tensorParallelSeconds(long tokens) {
        return allReduceLatencySeconds + tokens * allReduceSecondsPerToken;
    }

    /**
     * One layer: gemm + prefillAttention + decodeAttention + elementwise + tensorParallel, and for an MoE layer
     * {@link ExpertLayerTerms#layerSeconds} (router, routed experts, expert-parallel traffic).
     */
    public double layerSeconds(BatchShape batch) {
        boolean graph = cudaGraph(batch);
        long tokens = batch.totalTokens();
        return gemmSeconds(tokens, graph)
                + prefillAttentionSeconds(batch.prefillTokens, batch.prefillAttentionPairs, batch.prefillContextTokens,
                batch.prefillSequences)
                + decodeAttentionSeconds(batch.decodeSequences, batch.decodeContextTokens, graph)
                + elementwiseSeconds(tokens, graph)
                + tensorParallelSeconds(tokens)
                + (experts == null ? 0 : experts.layerSeconds(tokens, graph));
    }

    /**
     * How much longer a dense layer of an MoE model takes than its MoE layer (negative when shorter):
     * {@link ExpertLayerTerms#denseLayerDifferenceSeconds} minus the expert terms; 0 for a dense model.
     */
    private double denseLayerAdjustmentSeconds(long tokens, boolean graph) {
        return denseLayersInMoeModel
                ? experts.denseLayerDifferenceSeconds(tokens, graph) - experts.layerSeconds(tokens, graph) : 0;
    }

    /** The MoE terms of this model ({@code null} for a dense model). */
    public ExpertLayerTerms experts() {
        return experts;
    }

    /** Expert-parallel degree n (1 without expert parallelism). */
    public int expertParallel() {
        return expertParallel;
    }

    // ---- terms of the stage and the iteration -------------------------------------------------------------

    /**
     * The LM head (vocabulary projection, split over t) on the last stage, a GEMM over the G tokens that produce
     * logits: max(2 · V·h/t · (G + N½) / (F · η∞), V·h/t · b / (M · μ)) + φ·τ_g. G = decode sequences + prefill
     * sequences (a chunk that does not finish its prompt is counted too).
     */
    public double lmHeadSeconds(int logitTokens, boolean graph) {
        if (logitTokens == 0) {
            return 0;
        }
        return Math.max(lmHeadInterceptSeconds + logitTokens * lmHeadSecondsPerToken, lmHeadWeightReadSeconds)
                + floorFactor(graph) * gemmFloorSeconds;
    }

    /**
     * Host work of one iteration and stage: O_g (CUDA-graph decode) or O_e (eager), plus β per sequence
     * (scheduling, sampling, detokenising).
     */
    public double iterationOverheadSeconds(int sequences, boolean graph) {
        return (graph ? graphIterationOverheadSeconds : iterationOverheadSeconds)
                + sequences * perSequenceOverheadSeconds;
    }

    /**
     * The slowest stage: max(L_first · layer, L_last · layer + lmHead) + overhead, where L_first = ⌈L/p⌉ and
     * L_last = ⌊L/p⌋ (equal to L when p = 1).
     */
    @Override
    public double stageSeconds(BatchShape batch) {
        boolean graph = cudaGraph(batch);
        double layer = layerSeconds(batch);
        double lmHead = lmHeadSeconds(logitTokens(batch), graph);
        double overhead = iterationOverheadSeconds(logitTokens(batch), graph);
        if (denseLayersInMoeModel) {
            double dense = denseLayerAdjustmentSeconds(batch.totalTokens(), graph);
            double slowest = 0;
            for (int s = 0; s < pipelineStages; s++) {
                double stage = stageLayers(model.layers(), pipelineStages, s) * layer + stageDenseLayers[s] * dense;
                slowest = Math.max(slowest, s == pipelineStages - 1 ? stage + lmHead : stage);
            }
            return slowest + overhead;
        }
        double lastStage = lastStageLayers * layer + lmHead;
        return Math.max(firstStageLayers * layer, lastStage) + overhead;
    }

    /** Stage {@code stage}: L_s · layer, plus lmHead on the last stage, + overhead. */
    @Override
    public double stageSeconds(BatchShape batch, int stage) {
        boolean graph = cudaGraph(batch);
        double layers = stageLayers(model.layers(), pipelineStages, stage) * layerSeconds(batch)
                + stageDenseLayers[stage] * denseLayerAdjustmentSeconds(batch.totalTokens(), graph);
        double withHead = stage == pipelineStages - 1 ? layers + lmHeadSeconds(logitTokens(batch), graph) : layers;
        return withHead + iterationOverheadSeconds(logitTokens(batch), graph);
    }

    /**
     * The communication of stage {@code stage}: L_s · tensorParallel(N), and for an MoE model the expert-parallel
     * traffic of its MoE layers (and the MLP all-reduce of its dense layers); 0 when t = 1.
     */
    @Override
    public double communicationSeconds(BatchShape batch, int stage) {
        long tokens = batch.totalTokens();
        double seconds = stageLayers(model.layers(), pipelineStages, stage) * tensorParallelSeconds(tokens);
        if (experts != null) {
            seconds += model.stageMoeLayers(pipelineStages, stage) * experts.expertParallelSeconds(tokens)
                    + stageDenseLayers[stage] * experts.denseLayerCommunicationSeconds(tokens);
        }
        return seconds;
    }

    /**
     * Activations sent to the next stage: tokens · hidden · 2 B over the slowest stage-to-stage route,
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
     * first stage's layers). GEMMs include the LM head on the last stage; the GEMMs are compute-bound when their
     * compute side exceeds the weight read. For an MoE model the GEMMs include the router and the routed experts (and
     * the difference of its dense layers), the element-wise part the experts' activation, the communication the
     * expert-parallel traffic.
     */
    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        boolean graph = cudaGraph(batch);
        long tokens = batch.totalTokens();
        int logits = logitTokens(batch);
        double layer = layerSeconds(batch);
        double lmHead = lmHeadSeconds(logits, graph);
        boolean lastBinds = lastStageLayers * layer + lmHead >= firstStageLayers * layer;
        int layers = lastBinds ? lastStageLayers : firstStageLayers;

        double gemm = layers * gemmSeconds(tokens, graph) + (lastBinds ? lmHead : 0);
        double attention = layers * (prefillAttentionSeconds(batch.prefillTokens, batch.prefillAttentionPairs,
                batch.prefillContextTokens, batch.prefillSequences) + decodeAttentionSeconds(batch.decodeSequences,
                batch.decodeContextTokens, graph));
        double elementwise = layers * elementwiseSeconds(tokens, graph);
        double communication = layers * tensorParallelSeconds(tokens);
        if (experts != null) {
            int dense = stageDenseLayers[lastBinds ? pipelineStages - 1 : 0];
            int moeLayers = layers - dense;
            double pairs = experts.routing().busiestRankPairsPerToken() * tokens;
            double denseComm = experts.denseLayerCommunicationSeconds(tokens);
            gemm += moeLayers * experts.gemmSeconds(tokens, graph)
                    + dense * (experts.denseLayerDifferenceSeconds(tokens, graph) - denseComm);
            elementwise += moeLayers * experts.expertActivationSeconds(pairs);
            communication += moeLayers * experts.expertParallelSeconds(tokens) + dense * denseComm;
        }
        double overhead = iterationOverheadSeconds(logits, graph);
        boolean computeBound = tokens > 0 && gemmComputeSeconds(tokens) >= weightReadSeconds;
        return new StepTimeBreakdown(gemm, attention, elementwise, communication, overhead, computeBound, graph,
                stageSeconds(batch));
    }

    /**
     * Decode-only iterations without pipeline parallelism in closed form: with B sequences and context sum x the
     * stage is c + a · x, with a = L · perToken(B) and c every other term at B (GEMMs, attention floor and
     * per-sequence time, element-wise, TP, LM head, host overhead) — {@link DecodeCost} with slope1 = b1 = b2 = 0.
     * Null with pipeline parallelism (pipelined iterations are stepped one by one).
     */
    @Override
    public DecodeCost decodeCost(int sequences) {
        if (pipelineStages != 1) {
            return null;
        }
        boolean graph = sequences <= graphMaxBatch;
        int layers = model.layers();
        double constant = layers * (gemmSeconds(sequences, graph) + decodeAttentionSeconds(sequences, 0, graph)
                + elementwiseSeconds(sequences, graph) + tensorParallelSeconds(sequences))
                + lmHeadSeconds(sequences, graph) + iterationOverheadSeconds(sequences, graph);
        if (experts != null) {
            // the routed experts depend on B only (D(B) distinct experts, a·B pairs): part of c
            constant += layers * experts.layerSeconds(sequences, graph)
                    + stageDenseLayers[0] * denseLayerAdjustmentSeconds(sequences, graph);
        }
        return new DecodeCost(constant, 0, 0, layers * decodeAttentionSecondsPerToken(sequences), 0);
    }

    private static int logitTokens(BatchShape batch) {
        return batch.decodeSequences + batch.prefillSequences;
    }
}
