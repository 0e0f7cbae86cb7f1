package io.servesim.core.model;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;

/**
 * The calibrated roofline step-time model: how one iteration's time is composed from its terms, with coefficients
 * fitted on measured kernels and serving runs ({@link GpuCalibration}). {@code docs/model.md} states the equations;
 * {@code docs/calibration.md} how they were fitted.
 *
 * <p>A replica runs on t · p GPUs: TP t splits every layer's weights, heads and KV cache, PP p splits the L layers
 * into stages (⌊L/p⌋ layers, one more for the first L mod p; the last also runs the LM head). One layer on one GPU is
 * kernels whose times add: GEMMs ({@link GemmCost}), attention ({@link AttentionTerms}), element-wise kernels, the
 * tensor-parallel all-reduces and, for a mixture-of-experts layer, the router, routed experts and expert-parallel
 * traffic ({@link ExpertLayerTerms}; with expert parallelism one all-reduce, the experts' outputs return by
 * all-to-all). Decode iterations of at most {@code graphMaxBatch} sequences replay a CUDA graph: their kernel floors
 * shrink by φ and their host overhead is O_g instead of O_e.
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
    private final AttentionTerms attention;
    private final IterationWork work;
    private final GemmCost layerGemms;
    private final GemmCost lmHead;
    private final int[] stageDenseLayers;
    private final boolean denseLayersInMoeModel;

    private final double elementwiseFloorSeconds;
    private final double elementwiseSecondsPerToken;
    private final CollectiveCost allReduce;
    private final int allReduces;
    private final double activationBytesPerToken;
    private final double iterationOverheadSeconds;
    private final double graphIterationOverheadSeconds;
    private final double perSequenceOverheadSeconds;
    private final double promptOverheadSeconds;
    private final double stageTransferLatencySeconds;
    private final double stageTransferSecondsPerToken;

    /**
     * @param model          the model (its bytes per parameter set the weight precision)
     * @param gpu            the GPU type of every GPU of the replica
     * @param tensorParallel TP degree t (divides the model's heads and KV heads)
     * @param pipelineStages PP degree p (at most the model's layers)
     * @param allReduce      cost of one all-reduce over a stage's t GPUs ({@link TransferCost#NONE} when t = 1): a
     *                       modelled ring, or the GPU's measured curve; with several stages, the slowest stage's group
     * @param stageTransfer  cost of sending activations from one stage to the next ({@link TransferCost#NONE}
     *                       when p = 1); with several stage boundaries, the slowest one
     */
    public RooflineStepTimeModel(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages,
                                 CollectiveCost allReduce, TransferCost stageTransfer) {
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
                                 int expertParallel, CollectiveCost allReduce, TransferCost stageTransfer,
                                 TransferCost allToAll, CollectiveCost expertAllReduce) {
        model.requireLayout(tensorParallel, pipelineStages, expertParallel);
        if (!gpu.supportsWeightBytes(model.bytesPerParam())) {
            throw new IllegalArgumentException(gpu.name() + " has no tensor cores for "
                    + model.bytesPerParam() + "-byte weights (peak_fp8_tflops is 0)");
        }
        this.model = model;
        this.gpu = gpu;
        this.tensorParallel = tensorParallel;
        this.pipelineStages = pipelineStages;
        this.firstStageLayers = model.stageLayers(pipelineStages, 0);
        this.lastStageLayers = model.stageLayers(pipelineStages, pipelineStages - 1);
        GpuCalibration c = gpu.calibration();
        this.graphMaxBatch = c.graphMaxBatch();
        this.graphFloorFactor = c.graphFloorFactor();
        this.expertParallel = expertParallel;
        MixtureOfExperts moe = model.moe();
        this.experts = moe == null ? null : new ExpertLayerTerms(model, gpu, tensorParallel, expertParallel, allToAll,
                expertAllReduce, allReduce);
        this.stageDenseLayers = new int[pipelineStages];
        boolean anyDense = false;
        for (int s = 0; moe != null && s < pipelineStages; s++) {
            stageDenseLayers[s] = model.stageLayers(pipelineStages, s) - model.stageMoeLayers(pipelineStages, s);
            anyDense |= stageDenseLayers[s] > 0;
        }
        this.denseLayersInMoeModel = anyDense;
        double t = tensorParallel;
        double hbm = gpu.memoryBytesPerSecond();
        LatentAttention mla = model.mla();
        double queryWidth = (double) model.heads() * (mla == null ? model.headDim() : mla.qkHeadDim()) / t;
        double kvWidth = mla == null ? (double) model.kvHeads() * model.headDim() / t : mla.cachedElementsPerToken();
        this.attention = new AttentionTerms(model, gpu, tensorParallel);
        this.work = new IterationWork(model, gpu, tensorParallel, pipelineStages, moe == null ? null : experts.routing());
        double mlpWidth = moe == null ? model.ffnHidden() : (double) moe.sharedExperts() * moe.expertFfnHidden();

        this.layerGemms = new GemmCost(model.denseParamsPerLayer() / t, model.bytesPerParam(),
                moe == null ? GEMM_KERNELS_PER_LAYER : moe.sharedExperts() > 0 ? 4 : 2, gpu);
        this.lmHead = new GemmCost(model.vocabParams() / t, model.bytesPerParam(), 1, gpu);
        this.elementwiseFloorSeconds = c.elementwiseFusion() * c.elementwiseFloorMicros() * MICROS;
        this.elementwiseSecondsPerToken = (c.elementwiseFusion() * c.elementwiseTrafficFactor()
                * (2.0 * model.hidden() + queryWidth + kvWidth) + c.activationTrafficFactor() * mlpWidth / t)
                * ACTIVATION_BYTES / hbm;
        double activationBytesPerToken = model.hidden() * ACTIVATION_BYTES;
        this.activationBytesPerToken = activationBytesPerToken;
        this.allReduce = tensorParallel == 1 ? TransferCost.NONE : allReduce;
        this.allReduces = expertParallel > 1 ? 1 : 2;
        this.iterationOverheadSeconds = c.iterationOverheadMicros() * MICROS;
        this.graphIterationOverheadSeconds = c.graphIterationOverheadMicros() * MICROS;
        this.perSequenceOverheadSeconds = c.perSequenceOverheadMicros() * MICROS;
        this.promptOverheadSeconds = c.promptOverheadMicros() * MICROS;
        this.stageTransferLatencySeconds = pipelineStages == 1 ? 0 : stageTransfer.latencySeconds();
        this.stageTransferSecondsPerToken = pipelineStages == 1 ? 0 : activationBytesPerToken * stageTransfer.secondsPerByte();
    }

    /** A replica of one GPU: no tensor or pipeline parallelism, no communication. */
    public static RooflineStepTimeModel singleGpu(ModelSpec model, GpuSpec gpu) {
        return new RooflineStepTimeModel(model, gpu, 1, 1, TransferCost.NONE, TransferCost.NONE);
    }

    // ---- terms of one layer on one GPU --------------------------------------------------------------------

    /** Whether the batch replays a CUDA graph: decode only, at most {@code graphMaxBatch} sequences (else eager). */
    public boolean cudaGraph(BatchShape batch) {
        return batch.prefillTokens == 0 && batch.decodeSequences <= graphMaxBatch;
    }

    /** Share of the kernel floors an iteration pays: φ with a CUDA graph, 1 eagerly. */
    private double floorFactor(boolean graph) {
        return graph ? graphFloorFactor : 1;
    }

    /** The linear layers of one layer on one GPU (for an MoE layer: the attention's and shared experts'). */
    public GemmCost layerGemms() {
        return layerGemms;
    }

    /**
     * One layer's GEMMs ({@link GemmCost}: fused QKV, O, gate-up, down); 0 without tokens. For an MoE layer the
     * attention's and shared experts' GEMMs (2 or 4 kernels; {@link #experts()} adds the router's and routed experts').
     */
    public double gemmSeconds(long tokens, boolean graph) {
        return layerGemms.seconds(tokens, floorFactor(graph));
    }

    /** The attention kernels of one layer on one GPU (prefill and decode). */
    public AttentionTerms attention() {
        return attention;
    }

    /**
     * Element-wise kernels of a layer (norms, rotary, activation), fused by the serving engine (ψ):
     * ψ·φ·τ_e + (ψ·γ_e · (2h + (H + H_kv)·d/t) + γ_f · f/t) · 2 B · N / M.
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
        return allReduces * allReduce.seconds(tokens * activationBytesPerToken);
    }

    /** One layer: gemm + attention + elementwise + tensorParallel, + {@link ExpertLayerTerms#layerSeconds} for MoE. */
    public double layerSeconds(BatchShape batch) {
        boolean graph = cudaGraph(batch);
        long tokens = batch.totalTokens();
        return gemmSeconds(tokens, graph)
                + attention.seconds(batch, graph ? graphFloorFactor : 1)
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
     * The LM head (vocabulary projection V·h/t, one kernel, {@link GemmCost}) on the last stage over the G tokens that
     * produce logits: decode sequences + prefill sequences (a chunk that does not finish its prompt is counted too).
     */
    public double lmHeadSeconds(int logitTokens, boolean graph) {
        return lmHead.seconds(logitTokens, floorFactor(graph));
    }

    /** Host work of one iteration: O_g (CUDA graph) or O_e, + β per sequence (sampling…), + π per prompt chunk. */
    private double overheadSeconds(int sequences, int prompts, boolean graph) {
        return (graph ? graphIterationOverheadSeconds : iterationOverheadSeconds)
                + sequences * perSequenceOverheadSeconds + prompts * promptOverheadSeconds;
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
        double overhead = overheadSeconds(logitTokens(batch), batch.prefillSequences, graph);
        if (denseLayersInMoeModel) {
            double dense = denseLayerAdjustmentSeconds(batch.totalTokens(), graph);
            double slowest = 0;
            for (int s = 0; s < pipelineStages; s++) {
                slowest = Math.max(slowest, stageSeconds(s, layer, dense, lmHead, overhead));
            }
            return slowest;
        }
        double lastStage = lastStageLayers * layer + lmHead;
        return Math.max(firstStageLayers * layer, lastStage) + overhead;
    }

    /** Stage {@code stage}: L_s · layer, plus lmHead on the last stage, + overhead. */
    @Override
    public double stageSeconds(BatchShape batch, int stage) {
        boolean graph = cudaGraph(batch);
        int logits = logitTokens(batch);
        return stageSeconds(stage, layerSeconds(batch), denseLayerAdjustmentSeconds(batch.totalTokens(), graph),
                lmHeadSeconds(logits, graph), overheadSeconds(logits, batch.prefillSequences, graph));
    }

    /** Every stage's {@link #stageSeconds(BatchShape, int)}, the layer's terms computed once for all of them. */
    @Override
    public void stagesSeconds(BatchShape batch, double[] seconds) {
        boolean graph = cudaGraph(batch);
        double layer = layerSeconds(batch);
        double dense = denseLayerAdjustmentSeconds(batch.totalTokens(), graph);
        double lmHead = lmHeadSeconds(logitTokens(batch), graph);
        double overhead = overheadSeconds(logitTokens(batch), batch.prefillSequences, graph);
        for (int s = 0; s < seconds.length; s++) {
            seconds[s] = stageSeconds(s, layer, dense, lmHead, overhead);
        }
    }

    private double stageSeconds(int stage, double layer, double dense, double lmHead, double overhead) {
        double layers = model.stageLayers(pipelineStages, stage) * layer + stageDenseLayers[stage] * dense;
        return (stage == pipelineStages - 1 ? layers + lmHead : layers) + overhead;
    }

    /**
     * The communication of stage {@code stage}: L_s · tensorParallel(N), and for an MoE model the expert-parallel
     * traffic of its MoE layers (and the MLP all-reduce of its dense layers); 0 when t = 1.
     */
    @Override
    public double communicationSeconds(BatchShape batch, int stage) {
        long tokens = batch.totalTokens();
        double seconds = model.stageLayers(pipelineStages, stage) * tensorParallelSeconds(tokens);
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

    @Override
    public IterationWork work() {
        return work;
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
        double attention = layers * this.attention.seconds(batch, floorFactor(graph));
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
        double overhead = overheadSeconds(logitTokens(batch), batch.prefillSequences, graph);
        boolean computeBound = tokens > 0 && layerGemms.computeBound(tokens);
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
        double constant = layers * (gemmSeconds(sequences, graph) + attention.decodeSeconds(sequences, 0, floorFactor(graph))
                + elementwiseSeconds(sequences, graph) + tensorParallelSeconds(sequences))
                + lmHeadSeconds(sequences, graph) + overheadSeconds(sequences, 0, graph);
        if (experts != null) {
            // the routed experts depend on B only (D(B) distinct experts, a·B pairs): part of c
            constant += layers * experts.layerSeconds(sequences, graph)
                    + stageDenseLayers[0] * denseLayerAdjustmentSeconds(sequences, graph);
        }
        return new DecodeCost(constant, 0, 0, layers * attention.decodeSecondsPerToken(sequences), 0);
    }

    private static int logitTokens(BatchShape batch) {
        return batch.decodeSequences + batch.prefillSequences;
    }
}
