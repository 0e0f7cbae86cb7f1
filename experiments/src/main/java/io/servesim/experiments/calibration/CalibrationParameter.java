package io.servesim.experiments.calibration;

import io.servesim.core.hardware.GpuCalibration;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The coefficients of {@link GpuCalibration} that a fit may move, in the order of the record, with the transform
 * that keeps each inside its range while the optimizer works on an unbounded value: a logistic for fractions, a
 * logarithm for positive quantities.
 */
public enum CalibrationParameter {
    GEMM_EFFICIENCY(true), GEMM_HALF_TOKENS(false), MEMORY_EFFICIENCY(true), GEMM_FLOOR_MICROS(false),
    ATTENTION_EFFICIENCY(true), ATTENTION_TRAFFIC_FACTOR(false), ATTENTION_FLOOR_MICROS(false),
    DECODE_ATTENTION_EFFICIENCY(true), DECODE_ATTENTION_PARALLEL_SLOTS(false), DECODE_ATTENTION_PER_HEAD_MICROS(false), DECODE_ATTENTION_GQA_REUSE(true),
    ELEMENTWISE_FLOOR_MICROS(false), ELEMENTWISE_TRAFFIC_FACTOR(false), ACTIVATION_TRAFFIC_FACTOR(false),
    ELEMENTWISE_FUSION(true),
    ITERATION_OVERHEAD_MICROS(false), GRAPH_ITERATION_OVERHEAD_MICROS(false), PER_SEQUENCE_OVERHEAD_MICROS(false),
    PROMPT_OVERHEAD_MICROS(false), GRAPH_FLOOR_FACTOR(true);

    /** What the per-operator kernel tables determine: every kernel coefficient, none of the host overheads. */
    public static final List<CalibrationParameter> KERNEL = List.of(GEMM_EFFICIENCY, GEMM_HALF_TOKENS,
            MEMORY_EFFICIENCY, GEMM_FLOOR_MICROS, ATTENTION_EFFICIENCY, ATTENTION_TRAFFIC_FACTOR, ATTENTION_FLOOR_MICROS,
            DECODE_ATTENTION_EFFICIENCY, DECODE_ATTENTION_PARALLEL_SLOTS, DECODE_ATTENTION_PER_HEAD_MICROS,
            ELEMENTWISE_FLOOR_MICROS, ELEMENTWISE_TRAFFIC_FACTOR, ACTIVATION_TRAFFIC_FACTOR);
    /**
     * What a serving engine adds to the kernels, fitted on end-to-end runs: host overheads, CUDA-graph floors and
     * grouped-query packing in decode attention. The kernel coefficients stay as the kernel tables fitted them.
     */
    public static final List<CalibrationParameter> ENGINE = List.of(ITERATION_OVERHEAD_MICROS,
            GRAPH_ITERATION_OVERHEAD_MICROS, PER_SEQUENCE_OVERHEAD_MICROS, GRAPH_FLOOR_FACTOR,
            DECODE_ATTENTION_GQA_REUSE);
    /**
     * What belongs to the serving engine rather than the GPU: {@link #ENGINE}, the host time per prompt π and the
     * element-wise fusion ψ (measured on kernel benchmarks, not fitted). A measurement of one engine on another GPU
     * carries these over.
     */
    static final List<CalibrationParameter> SERVING_ENGINE = Stream.concat(ENGINE.stream(),
            Stream.of(PROMPT_OVERHEAD_MICROS, ELEMENTWISE_FUSION)).toList();
    /**
     * What whole prompt and token times determine: GEMM and bandwidth efficiency and the host overheads, per iteration
     * and per prompt (batches of B prompts tell the last apart).
     */
    public static final List<CalibrationParameter> ITERATION = List.of(GEMM_EFFICIENCY, MEMORY_EFFICIENCY,
            ITERATION_OVERHEAD_MICROS, GRAPH_ITERATION_OVERHEAD_MICROS, PROMPT_OVERHEAD_MICROS);

    /** Fractions are kept in [margin, 1]; a start on a bound moves in by the margin so the fit can move it at all. */
    private static final double FRACTION_MARGIN = 1e-6;

    /** Largest logarithm a positive coefficient may take in a fit (e^50 ≈ 5·10²¹, far above any real value). */
    private static final double MAX_LOG = 50;

    private final boolean fraction;

    CalibrationParameter(boolean fraction) {
        this.fraction = fraction;
    }

    /** Whether the coefficient is a fraction in (0, 1] rather than a positive quantity. */
    boolean isFraction() {
        return fraction;
    }

    /** The name used in catalog files and on the command line, e.g. {@code gemm_efficiency}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The parameter called {@code key}; an {@link IllegalArgumentException} listing the valid keys otherwise. */
    public static CalibrationParameter ofKey(String key) {
        for (CalibrationParameter p : values()) {
            if (p.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown calibration parameter '" + key + "'; valid: "
                + Arrays.stream(values()).map(CalibrationParameter::key).collect(Collectors.joining(", ")));
    }

    /** The unbounded value the optimizer sees for {@code value}. */
    double toFree(double value) {
        if (fraction) {
            double v = Math.min(Math.max(value, FRACTION_MARGIN), 1 - FRACTION_MARGIN);
            return Math.log(v / (1 - v));
        }
        return Math.log(Math.max(value, 1e-12));
    }

    /** The parameter's value for the optimizer's {@code free} value. */
    double fromFree(double free) {
        if (fraction) {
            return Math.min(Math.max(1 / (1 + Math.exp(-free)), FRACTION_MARGIN), 1);
        }
        return Math.exp(Math.min(free, MAX_LOG));
    }

    /** The coefficients of {@code c} in the order of {@link #values()}. */
    static double[] vector(GpuCalibration c) {
        return new double[]{c.gemmEfficiency(), c.gemmHalfTokens(), c.memoryEfficiency(), c.gemmFloorMicros(),
                c.attentionEfficiency(), c.attentionTrafficFactor(), c.attentionFloorMicros(),
                c.decodeAttentionEfficiency(), c.decodeAttentionParallelSlots(), c.decodeAttentionPerHeadMicros(),
                c.decodeAttentionGqaReuse(),
                c.elementwiseFloorMicros(), c.elementwiseTrafficFactor(), c.activationTrafficFactor(),
                c.elementwiseFusion(), c.iterationOverheadMicros(), c.graphIterationOverheadMicros(),
                c.perSequenceOverheadMicros(), c.promptOverheadMicros(), c.graphFloorFactor()};
    }

    /** {@code kernels} with the {@link #SERVING_ENGINE} coefficients of {@code engine}. */
    static GpuCalibration withEngineOf(GpuCalibration kernels, GpuCalibration engine) {
        double[] v = vector(kernels);
        double[] e = vector(engine);
        for (CalibrationParameter p : SERVING_ENGINE) {
            v[p.ordinal()] = e[p.ordinal()];
        }
        return calibration(kernels, kernels.source() + "; serving engine of: " + engine.source(), v);
    }

    /**
     * {@code base} with the coefficients of {@code v} (in the order of {@link #values()}) and another source; not yet
     * validated.
     */
    static GpuCalibration calibration(GpuCalibration base, String source, double[] v) {
        return new GpuCalibration(source, null, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], Math.max(1, v[8]), v[9],
                v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], base.graphMaxBatch());
    }
}
