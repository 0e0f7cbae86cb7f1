package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The choice of cluster network in a configuration. Absent values take the defaults below; {@link #build} turns the
 * choice into a {@link Topology} of a given number of GPUs of a given type.
 *
 * @param kind                   {@code multi_node} (default), {@code full_mesh}, {@code ring}, {@code ring_cross} or {@code file}
 * @param gpusPerNode            GPUs per node of {@code multi_node}; default 8
 * @param linkGBps               intra-node, mesh or main-ring link bandwidth, GB/s; default the GPU's {@code nvlink_bandwidth_gbps}
 * @param crossGBps              cross-link bandwidth of {@code ring_cross}, GB/s; default half of {@code link_gbps}
 * @param interNodeGBps          per-GPU inter-node (InfiniBand NDR 400 Gb/s) bandwidth of {@code multi_node}, GB/s; default 50
 * @param linkLatencyMicros      latency of an intra-node link, µs; default 1
 * @param interNodeLatencyMicros latency of a GPU-to-switch link, µs; default 2.5 (5 µs GPU to GPU)
 * @param file                   JSON file of nodes and links, for {@code file}
 */
public record TopologySpec(String kind, Integer gpusPerNode, Double linkGBps, Double crossGBps, Double interNodeGBps,
                           Double linkLatencyMicros, Double interNodeLatencyMicros, String file) {

    private static final List<String> KINDS = List.of("multi_node", "full_mesh", "ring", "ring_cross", "file");

    public TopologySpec {
        kind = kind == null ? "multi_node" : kind;
        ConfigException.require(KINDS.contains(kind), "kind", "must be one of " + KINDS, kind);
        gpusPerNode = gpusPerNode == null ? 8 : gpusPerNode;
        interNodeGBps = interNodeGBps == null ? 50.0 : interNodeGBps;
        linkLatencyMicros = linkLatencyMicros == null ? 1.0 : linkLatencyMicros;
        interNodeLatencyMicros = interNodeLatencyMicros == null ? 2.5 : interNodeLatencyMicros;
        ConfigException.require(gpusPerNode >= 1, "gpus_per_node", "must be >= 1", gpusPerNode);
        ConfigException.require(linkGBps == null || linkGBps > 0, "link_gbps", "must be > 0", linkGBps);
        ConfigException.require(crossGBps == null || crossGBps > 0, "cross_gbps", "must be > 0", crossGBps);
        ConfigException.require(interNodeGBps > 0, "inter_node_gbps", "must be > 0", interNodeGBps);
        ConfigException.require(linkLatencyMicros >= 0, "link_latency_micros", "must be >= 0", linkLatencyMicros);
        ConfigException.require(interNodeLatencyMicros >= 0,
                "inter_node_latency_micros", "must be >= 0", interNodeLatencyMicros);
        ConfigException.require(!"file".equals(kind) || (file != null && !file.isBlank()),
                "file", "must name a JSON topology file when kind is 'file'", file);
    }

    /** The default: 8-GPU nodes with the GPU's NVLink bandwidth, joined by 50 GB/s InfiniBand through a switch. */
    public static TopologySpec defaults() {
        return new TopologySpec(null, null, null, null, null, null, null, null);
    }

    /**
     * The topology of {@code gpus} GPUs of type {@code gpu} (a {@code file} topology has its own GPU count). A generated
     * topology is built once per JVM for each choice, GPU count and link bandwidth and then shared (it is immutable, and
     * its all-pairs routes cost more than a small run's simulation when many runs share a deployment shape).
     */
    public Topology build(int gpus, GpuSpec gpu) {
        if (kind.equals("file")) {
            return Topology.fromJson(Path.of(file));
        }
        double link = linkGBps == null ? gpu.nvlinkBandwidthGBps() : linkGBps;
        return BUILT.computeIfAbsent(new Built(this, gpus, link), key -> generate(gpus, link));
    }

    private Topology generate(int gpus, double link) {
        double cross = crossGBps == null ? link / 2 : crossGBps;
        return switch (kind) {
            case "full_mesh" -> Topology.fullMesh(gpus, link, linkLatencyMicros);
            case "ring" -> Topology.ring(gpus, link, linkLatencyMicros);
            case "ring_cross" -> Topology.ringWithCrossConnections(gpus, link, cross, linkLatencyMicros);
            default -> Topology.multiNode(gpus, gpusPerNode, link, linkLatencyMicros, interNodeGBps, interNodeLatencyMicros);
        };
    }

    private record Built(TopologySpec spec, int gpus, double linkGBps) {
    }

    private static final Map<Built, Topology> BUILT = new ConcurrentHashMap<>();
}
