package io.servesim.experiments.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.scenario.ConfigOverrides;
import io.servesim.experiments.scenario.Scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The scenario every cell of a plan starts from: the sections of {@code --config FILE} (deployment,
 * engine, scheduler, router, workload, metrics — the format of {@code servesim run}) over the record
 * defaults, with the plan's own default workload when the file names none. The plan then sets what its
 * axes vary. A {@code plan:} section, if present, is handed to the plan (its axes) and is not part of the
 * scenario.
 *
 * @param scenario    the template scenario
 * @param routerGiven whether the file states a router (otherwise the plan chooses)
 * @param planSection the file's {@code plan:} section, if any
 */
public record ScenarioTemplate(Scenario scenario, boolean routerGiven, Optional<JsonNode> planSection) {
    static final String PLAN_SECTION = "plan";

    /**
     * Reads {@code config} if given and applies the {@code --set} {@code overrides}; {@code defaultWorkload} is a
     * preset name or file used when no workload is stated.
     */
    public static ScenarioTemplate load(Optional<Path> config, List<String> overrides, String defaultWorkload) {
        ObjectNode root;
        if (config.isPresent()) {
            root = Scenario.readTree(config.get(), "a plan config");
        } else {
            root = JsonNodeFactory.instance.objectNode();
        }
        ConfigOverrides.apply(root, overrides);
        Optional<JsonNode> plan = Optional.ofNullable(root.remove(PLAN_SECTION));
        boolean routerGiven = root.hasNonNull("router");
        if (!root.hasNonNull("workload")) {
            root.put("workload", defaultWorkload);
        }
        return new ScenarioTemplate(Scenario.fromTree(root), routerGiven, plan);
    }

    /** The {@code plan:} section as {@code type}, or {@code defaults} when the file has none. */
    public <T> T planSection(Class<T> type, T defaults) {
        return planSection.map(node -> ConfigMapper.convert(node, type, PLAN_SECTION)).orElse(defaults);
    }
}
