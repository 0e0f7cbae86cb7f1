package io.servesim.core.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.servesim.core.config.ConfigException;

/**
 * One GPU type of the catalog. Bandwidths are in GB/s with GB = 10⁹ bytes; memory is in GiB = 2³⁰ bytes.
 * The efficiency factors and overheads calibrate the roofline model (see {@code docs/model.md}).
 *
 * @param name                    catalog name, e.g. {@code H100-SXM}
 * @param peakTflops              peak dense FP16/BF16 tensor throughput, 10¹² FLOP/s
 * @param hbmGiB                  device memory the driver reports, GiB
 * @param hbmBandwidthGBps        device memory bandwidth, GB/s
 * @param nvlinkBandwidthGBps     GPU-to-GPU bandwidth inside a node (NVLink, or PCIe for cards without it), GB/s
 * @param computeEfficiency       fraction of {@code peakTflops} that large GEMMs reach, in (0, 1]
 * @param memoryEfficiency        fraction of {@code hbmBandwidthGBps} that streaming kernels reach, in (0, 1]
 * @param layerOverheadMicros     fixed time per transformer layer per iteration (kernel launches, norms, small ops), µs
 * @param iterationOverheadMicros fixed time per iteration (scheduling, sampling, host work), µs
 */
public record GpuSpec(String name, double peakTflops, @JsonProperty("hbm_gib") double hbmGiB,
                      double hbmBandwidthGBps, double nvlinkBandwidthGBps,
                      double computeEfficiency, double memoryEfficiency,
                      double layerOverheadMicros, double iterationOverheadMicros) {

    private static final double BYTES_PER_GIB = 1024.0 * 1024.0 * 1024.0;

    public GpuSpec {
        ConfigException.require(name != null && !name.isBlank(), "name", "must be a non-empty string", name);
        ConfigException.require(peakTflops > 0, "peak_tflops", "must be > 0", peakTflops);
        ConfigException.require(hbmGiB > 0, "hbm_gib", "must be > 0", hbmGiB);
        ConfigException.require(hbmBandwidthGBps > 0, "hbm_bandwidth_gbps", "must be > 0", hbmBandwidthGBps);
        ConfigException.require(nvlinkBandwidthGBps > 0, "nvlink_bandwidth_gbps", "must be > 0", nvlinkBandwidthGBps);
        ConfigException.require(computeEfficiency > 0 && computeEfficiency <= 1,
                "compute_efficiency", "must be in (0, 1]", computeEfficiency);
        ConfigException.require(memoryEfficiency > 0 && memoryEfficiency <= 1,
                "memory_efficiency", "must be in (0, 1]", memoryEfficiency);
        ConfigException.require(layerOverheadMicros >= 0, "layer_overhead_micros", "must be >= 0", layerOverheadMicros);
        ConfigException.require(iterationOverheadMicros >= 0,
                "iteration_overhead_micros", "must be >= 0", iterationOverheadMicros);
    }

    /** Device memory in bytes. */
    public double hbmBytes() {
        return hbmGiB * BYTES_PER_GIB;
    }

    /** FLOP/s that the model assumes for GEMMs: peak · compute efficiency. */
    public double effectiveFlopsPerSecond() {
        return peakTflops * 1e12 * computeEfficiency;
    }

    /** Bytes/s that the model assumes for memory-bound kernels: HBM bandwidth · memory efficiency. */
    public double effectiveMemoryBytesPerSecond() {
        return hbmBandwidthGBps * 1e9 * memoryEfficiency;
    }
}
