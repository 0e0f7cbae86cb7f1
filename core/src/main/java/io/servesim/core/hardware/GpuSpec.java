package io.servesim.core.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.servesim.core.config.ConfigException;

/**
 * One GPU type of the catalog: its spec-sheet numbers and the fitted coefficients of the step-time model
 * ({@link GpuCalibration}). Bandwidths are in GB/s with GB = 10⁹ bytes; memory is in GiB = 2³⁰ bytes.
 *
 * @param name                catalog name, e.g. {@code H100-SXM}
 * @param peakTflops          peak dense FP16/BF16 tensor throughput, 10¹² FLOP/s
 * @param peakFp8Tflops       peak dense FP8 tensor throughput, 10¹² FLOP/s; 0 (or absent) for GPUs without FP8 tensor cores
 * @param hbmGiB              device memory the driver reports, GiB
 * @param hbmBandwidthGBps    device memory bandwidth, GB/s
 * @param nvlinkBandwidthGBps GPU-to-GPU bandwidth inside a node (NVLink, or PCIe for cards without it), GB/s
 * @param calibration         the step-time model's coefficients for this GPU and where they come from
 * @param power               the power it draws by state ({@link GpuPower}), or null when the catalog entry has none
 *                            (then a run's energy is NaN)
 * @param allReduce           measured all-reduce times inside one NVLink node ({@link AllReduceTimes}), or null when the
 *                            entry has none (then every all-reduce is the modelled ring of docs/parallelism.md)
 */
public record GpuSpec(String name, double peakTflops,
                      @JsonProperty("peak_fp8_tflops") @JsonSetter(nulls = Nulls.AS_EMPTY) double peakFp8Tflops,
                      @JsonProperty("hbm_gib") double hbmGiB,
                      double hbmBandwidthGBps, double nvlinkBandwidthGBps, GpuCalibration calibration, GpuPower power,
                      @JsonProperty("all_reduce") AllReduceTimes allReduce) {

    private static final double BYTES_PER_GIB = 1024.0 * 1024.0 * 1024.0;

    public GpuSpec {
        ConfigException.require(name != null && !name.isBlank(), "name", "must be a non-empty string", name);
        ConfigException.require(peakTflops > 0, "peak_tflops", "must be > 0", peakTflops);
        ConfigException.require(peakFp8Tflops >= 0, "peak_fp8_tflops", "must be >= 0 (0 = no FP8)", peakFp8Tflops);
        ConfigException.require(hbmGiB > 0, "hbm_gib", "must be > 0", hbmGiB);
        ConfigException.require(hbmBandwidthGBps > 0, "hbm_bandwidth_gbps", "must be > 0", hbmBandwidthGBps);
        ConfigException.require(nvlinkBandwidthGBps > 0, "nvlink_bandwidth_gbps", "must be > 0", nvlinkBandwidthGBps);
        ConfigException.require(calibration != null, "calibration",
                "is required: copy the block of the closest catalog GPU (servesim catalog show H100-SXM) "
                        + "or fit one with servesim calibrate", null);
    }

    /** A GPU without all-reduce measurements. */
    public GpuSpec(String name, double peakTflops, double peakFp8Tflops, double hbmGiB, double hbmBandwidthGBps,
                   double nvlinkBandwidthGBps, GpuCalibration calibration, GpuPower power) {
        this(name, peakTflops, peakFp8Tflops, hbmGiB, hbmBandwidthGBps, nvlinkBandwidthGBps, calibration, power, null);
    }

    /** A GPU without power figures or all-reduce measurements. */
    public GpuSpec(String name, double peakTflops, double peakFp8Tflops, double hbmGiB, double hbmBandwidthGBps,
                   double nvlinkBandwidthGBps, GpuCalibration calibration) {
        this(name, peakTflops, peakFp8Tflops, hbmGiB, hbmBandwidthGBps, nvlinkBandwidthGBps, calibration, null, null);
    }

    /**
     * The GPU under a power cap at {@code capFraction} of its TDP: its peak compute throughput scaled by
     * {@link GpuPower#computeScale} and its power capped; needs the entry's power figures.
     */
    public GpuSpec powerCapped(double capFraction) {
        ConfigException.require(power != null, "power_cap_fraction", "needs the power figures of " + name
                + " (a 'power' block in its catalog entry)", capFraction);
        double scale = power.computeScale(capFraction);
        return new GpuSpec(name, peakTflops * scale, peakFp8Tflops * scale, hbmGiB, hbmBandwidthGBps,
                nvlinkBandwidthGBps, calibration, power.capped(capFraction), allReduce);
    }

    /**
     * The GPU with its power by {@code model} ({@link GpuPower#STATE} or {@link GpuPower#UTILISATION}); needs the
     * entry's power figures, and for utilisation its fitted weights.
     */
    public GpuSpec withPowerModel(String model) {
        ConfigException.require(power != null, "power_model", "needs the power figures of " + name
                + " (a 'power' block in its catalog entry)", model);
        ConfigException.require(!model.equals(GpuPower.UTILISATION) || power.mfuWeight() != null, "power_model",
                "utilisation needs mfu_weight and mbu_weight in the power block of " + name, model);
        return new GpuSpec(name, peakTflops, peakFp8Tflops, hbmGiB, hbmBandwidthGBps, nvlinkBandwidthGBps, calibration,
                power.withModel(model), allReduce);
    }

    /** Device memory in bytes. */
    public double hbmBytes() {
        return hbmGiB * BYTES_PER_GIB;
    }

    /** Peak dense tensor FLOP/s for weights of {@code bytesPerParam} bytes: the FP8 peak for 1-byte weights. */
    public double peakFlopsPerSecond(double bytesPerParam) {
        return (bytesPerParam <= 1 ? peakFp8Tflops : peakTflops) * 1e12;
    }

    /** Whether the GPU has tensor cores for weights of {@code bytesPerParam} bytes. */
    public boolean supportsWeightBytes(double bytesPerParam) {
        return bytesPerParam > 1 || peakFp8Tflops > 0;
    }

    /** HBM bandwidth in bytes/s. */
    public double memoryBytesPerSecond() {
        return hbmBandwidthGBps * 1e9;
    }

    /** The same GPU with other coefficients (what {@code servesim calibrate} produces). */
    public GpuSpec withCalibration(GpuCalibration fitted) {
        return new GpuSpec(name, peakTflops, peakFp8Tflops, hbmGiB, hbmBandwidthGBps, nvlinkBandwidthGBps, fitted,
                power, allReduce);
    }
}
