package io.servesim.experiments.plan;

import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.scenario.Scenario;

import java.util.regex.Pattern;

/**
 * One capacity search of a plan: the configuration that the cells sharing it have in common, probed with a fixed
 * request count and a seed of its own ({@link CapacitySearches}). Its record is {@code capacity/<id>.json}.
 *
 * @param id       stable id, e.g. {@code capacity-multi_bin-k4-g2-least_loaded-r0}
 * @param label    human label, e.g. {@code multi_bin K=4 on 2 GPUs}
 * @param scenario the configuration, with the probe's request count and the search's seed; its workload's
 *                 rps_scale is where the search starts
 * @param options  target, tolerance, requests per probe, most probes
 */
public record CapacityCell(String id, String label, Scenario scenario, CapacityOptions options) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public CapacityCell {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("capacity search id must be letters, digits, '_', '-' or '.', got " + id);
        }
    }
}
