package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;

/**
 * A node of the cluster network: a GPU, or a switch that only forwards.
 *
 * @param name unique name, e.g. {@code gpu3} or {@code switch0}
 * @param kind {@code gpu} or {@code switch}
 */
public record TopologyNode(String name, String kind) {
    public static final String GPU = "gpu";
    public static final String SWITCH = "switch";

    public TopologyNode {
        ConfigException.require(name != null && !name.isBlank(), "name", "must be a non-empty string", name);
        ConfigException.require(GPU.equals(kind) || SWITCH.equals(kind), "kind", "must be 'gpu' or 'switch'", kind);
    }

    public static TopologyNode gpu(int index) {
        return new TopologyNode(GPU + index, GPU);
    }

    public static TopologyNode networkSwitch(int index) {
        return new TopologyNode(SWITCH + index, SWITCH);
    }

    public boolean isGpu() {
        return GPU.equals(kind);
    }
}
