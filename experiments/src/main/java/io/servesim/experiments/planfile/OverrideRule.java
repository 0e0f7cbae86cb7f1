package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A setting applied to the cells whose configuration matches: after a cell's axis values are set, every rule
 * whose {@code when} keys all hold the given values (dotted keys of the scenario, e.g. {@code scheduler.type})
 * sets its {@code set} keys. E.g. routing only the multi-bin cells with {@code bin_affinity}.
 *
 * @param when dotted key → value the cell must have
 * @param set  dotted key → value set on it
 */
public record OverrideRule(Map<String, JsonNode> when, Map<String, JsonNode> set) {
    public OverrideRule {
        when = Map.copyOf(when);
        set = Map.copyOf(set);
    }
}
