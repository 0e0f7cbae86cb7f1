package io.servesim.core.model;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;

/**
 * The terms a mixture-of-experts layer adds to {@link RooflineStepTimeModel}'s layer, on one GPU of the busiest
 * expert-parallel rank, one method per term ({@code docs/model.md}, "Mixture of experts"). The model's own layer keeps
 * the attention, the shared experts and the element-wise kernels every token passes; this class adds the router, the
 * routed experts and the expert-parallel traffic. It uses the GPU's GEMM and element-wise coefficients and adds none.
 *
 * <p>A stage's t GPUs hold the experts as n expert-parallel ranks of t_e = t/n GPUs each: rank r holds E/n experts,
 * each split over its t_e GPUs (n = 1 is plain tensor parallelism, n = t one whole expert group per GPU). With N tokens
 * in the iteration, the busiest rank has A = a·N token-expert pairs over D(N) distinct experts ({@link ExpertRouting}):
 * <pre>
 *   routing(N)      = max(2·h·E·(N + N½) / (F·η∞), h·E·b / (M·μ)) + φ·τ_g + φ·τ_e / 4   (router GEMM, top-k kernel)
 *   expertGemm(N)   = max(2·P_e/t_e · (A + D·N½) / (F·η∞), D · P_e/t_e · b / (M·μ)) + 2·φ·τ_g
 *   activation(N)   = γ_f · f_e/t_e · 2 B · A / M
 *   expertComm(N)   = 2 · (lat + λ · N·k·h·2 B · s_a2a) + [t_e > 1] allReduce_e(A · h · 2 B)     (n > 1 only)
 * </pre>
 * GEMM efficiency grows with the tokens of each expert (A/D), so the D experts' compute is 2·P_e·(A + D·N½); the two
 * kernels are vLLM's fused gate-up and down grouped GEMMs. The all-to-all dispatches each token's activations to its k
 * experts and combines them back ({@link io.servesim.core.cluster.Collectives#allToAll}); the busiest rank receives λ
 * times an even share. Everything depends on N only (the batch's tokens), so decode iterations keep their closed form.
 *
 * <p>A dense layer of an MoE model (DeepSeek's first layers) is the model's layer with the dense MLP in place of the
 * shared experts and without the terms above: {@link #denseLayerDifferenceSeconds}.
 */
public final class ExpertLayerTerms {
    /** Grouped GEMM kernels of the routed experts (fused gate-up, down). */
    public static final int EXPERT_GEMM_KERNELS = 2;
    /** Element-wise kernels whose floors τ_e stands for (two norms, rotary, activation). */
    public static final int ELEMENTWISE_KERNELS_PER_LAYER = 4;
    private static final double MICROS = 1e-6;

    private final ExpertRouting routing;
    private final double floorFactor;
    private final double gemmHalfTokens;
    private final double gemmFloorSeconds;
    private final double routingKernelSeconds;
    private final double routerSecondsPerToken;
    private final double routerReadSeconds;
    private final double expertSecondsPerPair;
    private final double expertReadSeconds;
    private final double activationSecondsPerPair;
    private final double pairsPerToken;
    private final boolean expertParallel;
    private final double allToAllLatencySeconds;
    private final double allToAllSecondsPerToken;
    private final CollectiveCost expertAllReduce;
    private final double denseMlpParamsPerGpu;
    private final double sharedParamsPerGpu;
    private final int denseKernelsMore;
    private final double denseActivationSecondsPerToken;
    private final CollectiveCost denseAllReduce;
    private final double tokenBytes;
    private final double gemmSecondsPerParamToken;
    private final double readSecondsPerParam;

    /**
     * @param model           an MoE model
     * @param gpu             the GPU type
     * @param tensorParallel  t, the GPUs of a stage
     * @param expertParallel  n, dividing t and the experts
     * @param allToAll        all-to-all over the n ranks, per byte of all token-expert activations of the layer
     * @param expertAllReduce all-reduce over one rank's t_e GPUs ({@link TransferCost#NONE} when t_e = 1), per byte of
     *                        the busiest rank's expert outputs
     * @param allReduce       all-reduce over the stage's t GPUs (the dense MLP's, for dense layers)
     */
    public ExpertLayerTerms(ModelSpec model, GpuSpec gpu, int tensorParallel, int expertParallel, TransferCost allToAll,
                            CollectiveCost expertAllReduce, CollectiveCost allReduce) {
        MixtureOfExperts moe = model.moe();
        if (moe == null) {
            throw new IllegalArgumentException(model.name() + " has no experts");
        }
        if (expertParallel < 1 || tensorParallel % expertParallel != 0 || moe.experts() % expertParallel != 0) {
            throw new IllegalArgumentException("expert-parallel degree " + expertParallel + " must divide the TP degree "
                    + tensorParallel + " and the experts " + moe.experts());
        }
        GpuCalibration c = gpu.calibration();
        this.routing = ExpertRouting.of(moe.experts(), moe.expertsPerToken(), moe.routingSkew(), expertParallel);
        this.floorFactor = c.graphFloorFactor();
        this.gemmHalfTokens = c.gemmHalfTokens();
        this.gemmFloorSeconds = c.gemmFloorMicros() * MICROS;
        this.routingKernelSeconds = c.elementwiseFloorMicros() * MICROS / ELEMENTWISE_KERNELS_PER_LAYER;
        double gemmFlops = gpu.peakFlopsPerSecond(model.bytesPerParam()) * c.gemmEfficiency();
        double hbm = gpu.memoryBytesPerSecond();
        double bytes = model.bytesPerParam();
        double expertTp = (double) tensorParallel / expertParallel;
        double expertPerGpu = model.expertParams() / expertTp;
        this.gemmSecondsPerParamToken = 2.0 / gemmFlops;
        this.readSecondsPerParam = bytes / (hbm * c.memoryEfficiency());
        this.routerSecondsPerToken = model.routerParams() * gemmSecondsPerParamToken;
        this.routerReadSeconds = model.routerParams() * readSecondsPerParam;
        this.expertSecondsPerPair = expertPerGpu * gemmSecondsPerParamToken;
        this.expertReadSeconds = expertPerGpu * readSecondsPerParam;
        double act = RooflineStepTimeModel.ACTIVATION_BYTES;
        this.activationSecondsPerPair = c.activationTrafficFactor() * moe.expertFfnHidden() / expertTp * act / hbm;
        this.pairsPerToken = routing.busiestRankPairsPerToken();
        this.expertParallel = expertParallel > 1;
        double tokenBytes = (double) model.hidden() * act;
        this.allToAllLatencySeconds = this.expertParallel ? 2 * allToAll.latencySeconds() : 0;
        this.allToAllSecondsPerToken = this.expertParallel
                ? 2 * routing.imbalance() * moe.expertsPerToken() * tokenBytes * allToAll.secondsPerByte() : 0;
        this.tokenBytes = tokenBytes;
        this.expertAllReduce = this.expertParallel ? expertAllReduce : TransferCost.NONE;
        this.denseMlpParamsPerGpu = (double) model.mlpParams() / tensorParallel;
        this.sharedParamsPerGpu = (double) moe.sharedExperts() * model.expertParams() / tensorParallel;
        this.denseKernelsMore = moe.sharedExperts() > 0 ? 0 : 2;
        this.denseActivationSecondsPerToken = c.activationTrafficFactor()
                * ((double) model.ffnHidden() - (double) moe.sharedExperts() * moe.expertFfnHidden()) / tensorParallel
                * act / hbm;
        this.denseAllReduce = this.expertParallel ? allReduce : TransferCost.NONE;
    }

    /** How the tokens spread over the experts and ranks. */
    public ExpertRouting routing() {
        return routing;
    }

    private double floor(boolean graph) {
        return graph ? floorFactor : 1;
    }

    /**
     * The router of one layer: its h × E GEMM over N tokens (replicated on every GPU),
     * max(2·h·E·(N + N½)/(F·η∞), h·E·b/(M·μ)) + φ·τ_g, and the top-k kernel, one element-wise floor φ·τ_e/4; 0 without
     * tokens.
     */
    public double routingSeconds(long tokens, boolean graph) {
        if (tokens == 0) {
            return 0;
        }
        return Math.max((tokens + gemmHalfTokens) * routerSecondsPerToken, routerReadSeconds)
                + floor(graph) * (gemmFloorSeconds + routingKernelSeconds);
    }

    /**
     * GEMMs of {@code experts} distinct experts over {@code pairs} token-expert pairs on one GPU (each expert split over
     * the rank's t_e GPUs): max(2·P_e/t_e·(pairs + experts·N½)/(F·η∞), experts·P_e/t_e·b/(M·μ)) + kernels·φ·τ_g.
     */
    public double expertGemmSeconds(double experts, double pairs, int kernels, boolean graph) {
        if (pairs <= 0) {
            return 0;
        }
        return Math.max((pairs + experts * gemmHalfTokens) * expertSecondsPerPair, experts * expertReadSeconds)
                + kernels * floor(graph) * gemmFloorSeconds;
    }

    /** The routed experts of one layer on the busiest rank: expertGemm(D(N), a·N) with the two grouped GEMMs. */
    public double expertGemmSeconds(long tokens, boolean graph) {
        return expertGemmSeconds(routing.busiestRankExperts(tokens), pairsPerToken * tokens, EXPERT_GEMM_KERNELS,
                graph);
    }

    /** The routed experts' activation on the busiest rank: γ_f · f_e/t_e · 2 B · pairs / M. */
    public double expertActivationSeconds(double pairs) {
        return pairs * activationSecondsPerPair;
    }

    /**
     * Expert-parallel traffic of one layer (0 with n = 1): {@link #allToAllSeconds} and
     * {@link #expertAllReduceSeconds}.
     */
    public double expertParallelSeconds(long tokens) {
        return allToAllSeconds(tokens) + expertAllReduceSeconds(tokens);
    }

    /** Dispatch and combine all-to-alls of one layer: 2·(lat + λ·N·k·h·2 B·s); 0 with n = 1 or no tokens. */
    public double allToAllSeconds(long tokens) {
        return !expertParallel || tokens == 0 ? 0 : allToAllLatencySeconds + tokens * allToAllSecondsPerToken;
    }

    /** With t_e > 1, the all-reduce of the busiest rank's expert outputs, a·N·h·2 B, over its GPUs; else 0. */
    public double expertAllReduceSeconds(long tokens) {
        return !expertParallel || tokens == 0 ? 0
                : expertAllReduce.seconds(pairsPerToken * tokens * tokenBytes);
    }

    /** GEMM part of the terms: routing + expertGemm (the router's top-k kernel included). */
    public double gemmSeconds(long tokens, boolean graph) {
        return routingSeconds(tokens, graph) + expertGemmSeconds(tokens, graph);
    }

    /** Everything an MoE layer adds: routing + expertGemm + activation + expertParallel. */
    public double layerSeconds(long tokens, boolean graph) {
        return gemmSeconds(tokens, graph) + expertActivationSeconds(pairsPerToken * tokens)
                + expertParallelSeconds(tokens);
    }

    /**
     * What a dense layer of the model takes minus its MoE layer's non-expert part: the dense MLP's GEMMs instead of the
     * shared experts' (f instead of n_s · f_e, with its two kernels when there are no shared experts), its activation,
     * and — with expert parallelism, where the MoE layer has one all-reduce — the MLP's all-reduce; can be negative.
     */
    public double denseLayerDifferenceSeconds(long tokens, boolean graph) {
        if (tokens == 0) {
            return 0;
        }
        double perParam = Math.max((tokens + gemmHalfTokens) * gemmSecondsPerParamToken, readSecondsPerParam);
        return (denseMlpParamsPerGpu - sharedParamsPerGpu) * perParam + denseKernelsMore * floor(graph) * gemmFloorSeconds
                + tokens * denseActivationSecondsPerToken + denseAllReduce.seconds(tokens * tokenBytes);
    }

    /** The communication in {@link #denseLayerDifferenceSeconds}: the dense MLP's all-reduce under expert parallelism. */
    public double denseLayerCommunicationSeconds(long tokens) {
        return tokens == 0 ? 0 : denseAllReduce.seconds(tokens * tokenBytes);
    }
}
