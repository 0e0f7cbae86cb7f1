package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;

import java.util.List;

/**
 * The named workloads shipped as YAML resources under {@code io/servesim/workloads/presets/<name>.yaml}
 * (documented in {@code docs/workloads.md}).
 */
public final class Presets {
    /** Every preset, alphabetically. */
    public static final List<String> NAMES = List.of(
            "compute_bound", "heavy", "high_throughput", "memory_bound", "mixed", "shared_prefix", "shared_prefix_chat",
            "stress");

    private static final String FOLDER = "io/servesim/workloads/presets/";

    private Presets() {
    }

    /** The preset {@code name}; an unknown name fails with the list of valid names. */
    public static WorkloadSpec load(String name) {
        if (!NAMES.contains(name)) {
            throw new ConfigException("unknown workload preset '" + name + "'; presets: " + String.join(", ", NAMES));
        }
        return ConfigMapper.readResource(FOLDER + name + ".yaml", WorkloadSpec.class);
    }
}
