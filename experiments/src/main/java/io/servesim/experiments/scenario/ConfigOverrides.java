package io.servesim.experiments.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;

import java.util.List;

/**
 * {@code --set a.b.c=value}: changes one key of a configuration from the command line. Settings apply in one
 * order of precedence — record defaults, then the {@code --config} file, then {@code --set}, then named flags —
 * and a value is read as YAML, so {@code deployment.tp=2}, {@code engine.chunked_prefill=true} and
 * {@code scheduler.type=multi_bin} have the types a file would give them.
 */
public final class ConfigOverrides {
    private ConfigOverrides() {
    }

    /** Applies {@code assignments} ({@code dotted.key=value}) to {@code root}, in order. */
    public static void apply(ObjectNode root, List<String> assignments) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set expects key.path=value (e.g. deployment.tp=2), got '" + assignment + "'");
            }
            String[] keys = assignment.substring(0, eq).trim().split("\\.", -1);
            ObjectNode node = parentSection(root, keys, "--set " + assignment);
            String key = keys[keys.length - 1];
            if (key.isEmpty()) {
                throw new ConfigException("--set " + assignment + ": the key path has an empty part");
            }
            node.set(key, value(assignment.substring(eq + 1), assignment));
        }
    }

    /**
     * The section of {@code root} that holds the last of {@code keys} (a dotted key split at its dots), created where
     * missing; a key on the way that holds a single value is a mistake, reported after {@code what}.
     */
    public static ObjectNode parentSection(ObjectNode root, String[] keys, String what) {
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                node = node.putObject(keys[i]);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                throw new ConfigException(what + ": " + String.join(".", List.of(keys).subList(0, i + 1))
                        + " is a single value (" + child + "), not a section with keys");
            }
        }
        return node;
    }

    private static JsonNode value(String text, String assignment) {
        try {
            JsonNode value = ConfigMapper.yaml().readTree(text.isBlank() ? "null" : text);
            return value == null || value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + assignment + ": the value is not valid YAML", e);
        }
    }
}
