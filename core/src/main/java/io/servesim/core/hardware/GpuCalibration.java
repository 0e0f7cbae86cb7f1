package io.servesim.core.hardware;

import io.servesim.core.config.ConfigException;

/**
 * The fitted coefficients of the step-time model for one GPU type (and one serving engine's kernels), with the data
 * they came from. Every coefficient is used by exactly one term of
 * {@link io.servesim.core.model.RooflineStepTimeModel}; {@code docs/model.md} gives the equations and
 * {@code docs/calibration.md} how each was fitted and its error on held-out measurements.
 *
 * @param source                          where the numbers come from (free text)
 * @param validatedError                  their error on measurements they were not fitted on, or absent when they
 *                                        have not been validated
 * @param gemmEfficiency                  η∞: fraction of the peak that large GEMMs reach, in (0, 1]
 * @param gemmHalfTokens                  N½: tokens at which a GEMM reaches half of η∞ (efficiency η∞·N/(N + N½))
 * @param memoryEfficiency                μ: fraction of HBM bandwidth that weight-streaming GEMMs reach, in (0, 1]
 * @param gemmFloorMicros                 τ_g: fixed time of one GEMM kernel, µs
 * @param attentionEfficiency             η_a: fraction of the peak that prefill attention reaches on causal pairs
 * @param attentionTrafficFactor          γ_a: prefill attention's per-token traffic in units of its Q, K, V, O bytes
 * @param attentionFloorMicros            τ_a: fixed time of one attention kernel, µs
 * @param decodeAttentionEfficiency       μ_a: fraction of HBM bandwidth that decode attention reaches
 * @param decodeAttentionParallelSlots    W: (sequence, query head) pairs that decode attention needs to fill the GPU
 * @param decodeAttentionPerHeadMicros    α: decode attention time per sequence and query head on the GPU, µs
 * @param decodeAttentionGqaReuse         r: how far decode attention reads a KV head once for all its query heads
 *                                        (grouped-query packing) rather than once per query head, in [0, 1]
 * @param elementwiseFloorMicros          τ_e: fixed time of a layer's element-wise kernels (norms, rotary, activation), µs
 * @param elementwiseTrafficFactor        γ_e: traffic of the norms and the rotary embedding per token, in units of the
 *                                        activations they touch
 * @param activationTrafficFactor         γ_f: traffic of the MLP's activation (SiLU and gating) per token, in units of
 *                                        the intermediate activations it touches; absent in a catalog file = γ_e (one
 *                                        factor for every element-wise kernel)
 * @param elementwiseFusion               ψ: share of the norms' and rotary embedding's traffic (γ_e) and of the
 *                                        element-wise floor (τ_e) that the serving engine's fused kernels keep, in
 *                                        (0, 1]; 1 (also when absent) = as the per-operator tables profiled them, one
 *                                        eager kernel per operation
 * @param iterationOverheadMicros         O_e: host time of an eager (prefill or mixed) iteration, µs
 * @param graphIterationOverheadMicros    O_g: host time of a CUDA-graph decode iteration, µs
 * @param perSequenceOverheadMicros       β: host time per sequence of an iteration (sampling, bookkeeping), µs
 * @param promptOverheadMicros            π: host time per prompt (or prompt chunk) prefilled in an iteration (its
 *                                        input preparation), µs; absent in a catalog file = 0
 * @param graphFloorFactor                φ: share of the kernel floors left when a decode iteration replays a CUDA graph
 * @param graphMaxBatch                   largest decode batch captured as a CUDA graph (vLLM: 512)
 */
public record GpuCalibration(String source, String validatedError,
                             double gemmEfficiency, double gemmHalfTokens, double memoryEfficiency,
                             double gemmFloorMicros,
                             double attentionEfficiency, double attentionTrafficFactor, double attentionFloorMicros,
                             double decodeAttentionEfficiency, double decodeAttentionParallelSlots,
                             double decodeAttentionPerHeadMicros, double decodeAttentionGqaReuse,
                             double elementwiseFloorMicros, double elementwiseTrafficFactor,
                             Double activationTrafficFactor, Double elementwiseFusion,
                             double iterationOverheadMicros, double graphIterationOverheadMicros,
                             double perSequenceOverheadMicros, Double promptOverheadMicros, double graphFloorFactor,
                             int graphMaxBatch) {

    public GpuCalibration {
        ConfigException.require(source != null && !source.isBlank(), "calibration.source",
                "must say which measurements the coefficients come from", source);
        validatedError = validatedError == null || validatedError.isBlank() ? NOT_VALIDATED : validatedError;
        fraction("gemm_efficiency", gemmEfficiency);
        nonNegative("gemm_half_tokens", gemmHalfTokens);
        fraction("memory_efficiency", memoryEfficiency);
        nonNegative("gemm_floor_micros", gemmFloorMicros);
        fraction("attention_efficiency", attentionEfficiency);
        nonNegative("attention_traffic_factor", attentionTrafficFactor);
        nonNegative("attention_floor_micros", attentionFloorMicros);
        fraction("decode_attention_efficiency", decodeAttentionEfficiency);
        ConfigException.require(decodeAttentionParallelSlots >= 1, "calibration.decode_attention_parallel_slots",
                "must be >= 1", decodeAttentionParallelSlots);
        nonNegative("decode_attention_per_head_micros", decodeAttentionPerHeadMicros);
        ConfigException.require(decodeAttentionGqaReuse >= 0 && decodeAttentionGqaReuse <= 1,
                "calibration.decode_attention_gqa_reuse", "must be in [0, 1]", decodeAttentionGqaReuse);
        nonNegative("elementwise_floor_micros", elementwiseFloorMicros);
        nonNegative("elementwise_traffic_factor", elementwiseTrafficFactor);
        activationTrafficFactor = activationTrafficFactor == null ? elementwiseTrafficFactor : activationTrafficFactor;
        nonNegative("activation_traffic_factor", activationTrafficFactor);
        elementwiseFusion = elementwiseFusion == null ? 1.0 : elementwiseFusion;
        fraction("elementwise_fusion", elementwiseFusion);
        nonNegative("iteration_overhead_micros", iterationOverheadMicros);
        nonNegative("graph_iteration_overhead_micros", graphIterationOverheadMicros);
        nonNegative("per_sequence_overhead_micros", perSequenceOverheadMicros);
        promptOverheadMicros = promptOverheadMicros == null ? 0.0 : promptOverheadMicros;
        nonNegative("prompt_overhead_micros", promptOverheadMicros);
        ConfigException.require(graphFloorFactor >= 0 && graphFloorFactor <= 1, "calibration.graph_floor_factor",
                "must be in [0, 1]", graphFloorFactor);
        ConfigException.require(graphMaxBatch >= 0, "calibration.graph_max_batch",
                "must be >= 0 (0 = no CUDA graphs)", graphMaxBatch);
    }

    /** The same coefficients with {@code error} as their validated error. */
    public GpuCalibration withValidatedError(String error) {
        return new GpuCalibration(source, error, gemmEfficiency, gemmHalfTokens, memoryEfficiency, gemmFloorMicros,
                attentionEfficiency, attentionTrafficFactor, attentionFloorMicros, decodeAttentionEfficiency,
                decodeAttentionParallelSlots, decodeAttentionPerHeadMicros, decodeAttentionGqaReuse, elementwiseFloorMicros,
                elementwiseTrafficFactor, activationTrafficFactor, elementwiseFusion, iterationOverheadMicros,
                graphIterationOverheadMicros, perSequenceOverheadMicros, promptOverheadMicros, graphFloorFactor,
                graphMaxBatch);
    }

    /** What {@link #validatedError} says when no held-out measurement judged the coefficients. */
    public static final String NOT_VALIDATED = "not validated on held-out measurements";

    private static void fraction(String field, double value) {
        ConfigException.require(value > 0 && value <= 1, "calibration." + field, "must be in (0, 1]", value);
    }

    private static void nonNegative(String field, double value) {
        ConfigException.require(value >= 0 && Double.isFinite(value), "calibration." + field, "must be >= 0", value);
    }
}
