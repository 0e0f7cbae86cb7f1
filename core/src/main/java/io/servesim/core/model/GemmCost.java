package io.servesim.core.model;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;

/**
 * The time of a set of GEMMs over P weights on one GPU that all see the same N tokens (a layer's linear layers, or
 * the LM head): max(2 · P · (N + N½) / (F · η∞), P · b / (M · μ)) + k · floorFactor · τ_g for its k kernels. All of
 * them sit on the same side of the ridge (FLOPs per weight byte is 2N/b for each), so the maximum of their sums is the
 * sum of their maxima. The compute side is FLOPs 2·P·N at an efficiency η∞ · N / (N + N½) that grows with the tokens;
 * F is the peak of the weights' precision. Part of {@link RooflineStepTimeModel}; see {@code docs/model.md}.
 */
public final class GemmCost {
    private static final double MICROS = 1e-6;

    private final double secondsPerToken;
    private final double interceptSeconds;
    private final double weightReadSeconds;
    private final double kernelFloorSeconds;
    private final int kernels;

    /**
     * @param paramsPerGpu  weights of the GEMMs on one GPU
     * @param bytesPerParam bytes per weight (its precision sets the peak)
     * @param kernels       GEMM kernels the set launches
     * @param gpu           the GPU and its calibration
     */
    GemmCost(double paramsPerGpu, double bytesPerParam, int kernels, GpuSpec gpu) {
        GpuCalibration c = gpu.calibration();
        this.secondsPerToken = 2.0 * paramsPerGpu / (gpu.peakFlopsPerSecond(bytesPerParam) * c.gemmEfficiency());
        this.interceptSeconds = secondsPerToken * c.gemmHalfTokens();
        this.weightReadSeconds = paramsPerGpu * bytesPerParam / (gpu.memoryBytesPerSecond() * c.memoryEfficiency());
        this.kernelFloorSeconds = c.gemmFloorMicros() * MICROS;
        this.kernels = kernels;
    }

    /** Compute side for N tokens: 2 · P · (N + N½) / (F · η∞). */
    public double computeSeconds(long tokens) {
        return interceptSeconds + tokens * secondsPerToken;
    }

    /** Weight read: P · b / (M · μ). */
    public double weightReadSeconds() {
        return weightReadSeconds;
    }

    /** The fixed time τ_g of one GEMM kernel launched eagerly. */
    public double kernelFloorSeconds() {
        return kernelFloorSeconds;
    }

    /** Whether N tokens are past the ridge: compute rather than the weight read sets the time. */
    public boolean computeBound(long tokens) {
        return computeSeconds(tokens) >= weightReadSeconds;
    }

    /** max(compute, weight read) + k · floorFactor · τ_g; 0 without tokens. */
    public double seconds(long tokens, double floorFactor) {
        if (tokens == 0) {
            return 0;
        }
        return Math.max(computeSeconds(tokens), weightReadSeconds) + kernels * floorFactor * kernelFloorSeconds;
    }
}
