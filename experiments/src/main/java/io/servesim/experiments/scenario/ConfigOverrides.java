package io.servesim.experiments.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --set a.b.c=value}: changes one key of a configuration from the command line. Settings apply in one
 * order of precedence — record defaults, then the {@code --config} file, then {@code --set}, then named flags —
 * and a value is read as YAML, so {@code deployment.tp=2}, {@code engine.chunked_prefill=true} and
 * {@code scheduler.type=multi_bin} have the types a file would give them.
 */
public final class ConfigOverrides {
    private ConfigOverrides() {
    }

    /** One step of a key path: a key of a mapping, or an index into a list. */
    private record Step(String key, int index) {
        boolean isIndex() {
            return key == null;
        }
    }

    private static final Pattern KEY_WITH_INDICES = Pattern.compile("([^\\[\\]]+)((?:\\[\\d+\\])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

    /**
     * Applies {@code assignments} ({@code dotted.key=value}, with {@code [i]} addressing entry i of a list, e.g.
     * {@code workload.profiles[0].rate_per_second=5}) to {@code root}, in order. Missing sections are created;
     * list entries must exist.
     */
    public static void apply(ObjectNode root, List<String> assignments) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set expects key.path=value (e.g. deployment.tp=2), got '"
                        + ConfigException.printable(assignment) + "'");
            }
            String keyPath = assignment.substring(0, eq).trim();
            List<Step> steps = steps(keyPath, assignment);
            JsonNode node = root;
            StringBuilder at = new StringBuilder();
            for (int i = 0; i < steps.size() - 1; i++) {
                node = child(node, steps.get(i), steps.get(i + 1), at);
            }
            Step last = steps.get(steps.size() - 1);
            JsonNode value = value(assignment.substring(eq + 1), assignment);
            if (last.isIndex()) {
                entry(node, last, at).set(last.index(), value);
            } else {
                mapping(node, at).set(last.key(), value);
            }
        }
    }

    private static List<Step> steps(String keyPath, String assignment) {
        List<Step> steps = new ArrayList<>();
        for (String part : keyPath.split("\\.", -1)) {
            Matcher m = KEY_WITH_INDICES.matcher(part);
            if (!m.matches()) {
                throw new ConfigException("--set " + ConfigException.printable(assignment)
                        + ": every part of the key path must be a key, optionally followed by [index] (e.g."
                        + " workload.profiles[0].rate_per_second), got '" + ConfigException.printable(part) + "'");
            }
            steps.add(new Step(m.group(1), -1));
            for (Matcher index = INDEX.matcher(m.group(2)); index.find(); ) {
                steps.add(new Step(null, Integer.parseInt(index.group(1))));
            }
        }
        return steps;
    }

    /** The node {@code step} leads to from {@code node}, creating a missing mapping; {@code at} grows by the step. */
    private static JsonNode child(JsonNode node, Step step, Step next, StringBuilder at) {
        if (step.isIndex()) {
            JsonNode entry = entry(node, step, at).get(step.index());
            at.append('[').append(step.index()).append(']');
            return container(entry, next, at);
        }
        ObjectNode mapping = mapping(node, at);
        at.append(at.length() == 0 ? "" : ".").append(step.key());
        JsonNode child = mapping.get(step.key());
        if (child == null || child.isNull()) {
            if (next.isIndex()) {
                throw new ConfigException(at + "[" + next.index() + "]: " + at + " has no list to index (it is not set)");
            }
            return mapping.putObject(step.key());
        }
        return container(child, next, at);
    }

    private static JsonNode container(JsonNode node, Step next, StringBuilder at) {
        if (!node.isContainerNode()) {
            throw new ConfigException(at + (next.isIndex() ? "[" + next.index() + "]" : "." + next.key()) + ": " + at
                    + " is a single value (" + ConfigException.printable(node.toString()) + "), not a section with keys");
        }
        return node;
    }

    private static ObjectNode mapping(JsonNode node, StringBuilder at) {
        if (!(node instanceof ObjectNode mapping)) {
            throw new ConfigException(at + ": is a list; address its entries as " + at + "[0], " + at + "[1], …");
        }
        return mapping;
    }

    private static ArrayNode entry(JsonNode node, Step step, StringBuilder at) {
        if (!(node instanceof ArrayNode list)) {
            throw new ConfigException(at + "[" + step.index() + "]: " + (at.length() == 0 ? "the root" : at)
                    + " is a mapping, not a list");
        }
        if (step.index() >= list.size()) {
            throw new ConfigException(at + "[" + step.index() + "]: the list " + at + " has " + list.size()
                    + (list.size() == 1 ? " entry (index 0)" : " entries (indices 0 … " + (list.size() - 1) + ")"));
        }
        return list;
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
                        + " is a single value (" + ConfigException.printable(child.toString())
                        + "), not a section with keys");
            }
        }
        return node;
    }

    private static JsonNode value(String text, String assignment) {
        try {
            JsonNode value = ConfigMapper.yaml().readTree(text.isBlank() ? "null" : text);
            return value == null || value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + ConfigException.printable(assignment) + ": the value is not valid YAML", e);
        }
    }
}
