package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configurations ("arms") a sweep or a comparison runs, from {@code --set} assignments: {@code key=value} sets
 * one key for every arm; {@code key=v1,v2,...} is an axis, and the arms are the product of the axes in the order
 * given (the first axis varies slowest). A value that starts with {@code [} or <code>{</code> is a YAML list or
 * mapping and is never split. With no axis there is one arm.
 *
 * @param common the single-valued assignments, applied to every arm before its own
 * @param arms   the arms, in product order
 */
public record Arms(List<String> common, List<Arm> arms) {
    private static final Pattern NOT_ID = Pattern.compile("[^A-Za-z0-9_.-]+");
    /** Values that do not name themselves: numbers and booleans. */
    private static final Pattern BARE_VALUE = Pattern.compile("true|false|[-+]?[0-9][0-9.eE+-]*");

    /**
     * One configuration.
     *
     * @param label       for people and legends: with one axis its value when that is a word ({@code multi_bin}),
     *                    else {@code key=value} with the last part of the key ({@code mixed_batches=false},
     *                    {@code max_num_seqs=64}: a bare number or boolean says nothing); {@code key=value, ...} with
     *                    several axes; {@code baseLabel} with none
     * @param key         for cell ids: the values, letters, digits and {@code _ . -} only
     * @param assignments its own {@code key=value} assignments, one per axis
     */
    public record Arm(String label, String key, List<String> assignments) {
        public Arm {
            assignments = List.copyOf(assignments);
        }
    }

    public Arms {
        common = List.copyOf(common);
        arms = List.copyOf(arms);
    }

    /** Splits {@code sets} into common assignments and axes; {@code baseLabel} names the one arm of no axis. */
    public static Arms parse(List<String> sets, String baseLabel) {
        List<String> common = new ArrayList<>();
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set expects key.path=value or key.path=v1,v2 (e.g. scheduler.type=continuous,"
                        + "dynamic), got '" + set + "'");
            }
            String key = set.substring(0, eq).trim();
            String value = set.substring(eq + 1).trim();
            if (value.startsWith("[") || value.startsWith("{") || !value.contains(",")) {
                common.add(set);
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String v : value.split(",", -1)) {
                if (v.isBlank()) {
                    throw new ConfigException("--set " + set + ": an empty value in the list; write key=v1,v2,...");
                }
                if (values.contains(v.trim())) {
                    throw new ConfigException("--set " + set + ": the value " + v.trim() + " is listed twice");
                }
                values.add(v.trim());
            }
            if (axes.put(key, values) != null) {
                throw new ConfigException("--set " + key + " gives a list of values twice; give each axis once");
            }
        }
        List<Arm> arms = new ArrayList<>();
        arms.add(new Arm(baseLabel, id(baseLabel), List.of()));
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Arm> next = new ArrayList<>();
            for (Arm arm : arms) {
                for (String value : axis.getValue()) {
                    List<String> assignments = new ArrayList<>(arm.assignments());
                    assignments.add(axis.getKey() + "=" + value);
                    next.add(new Arm(null, null, assignments));
                }
            }
            arms = next;
        }
        if (!axes.isEmpty()) {
            arms = arms.stream().map(arm -> labelled(arm, axes.size() == 1)).toList();
        }
        return new Arms(common, arms);
    }

    private static Arm labelled(Arm arm, boolean oneAxis) {
        List<String> labels = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String assignment : arm.assignments()) {
            int eq = assignment.indexOf('=');
            String key = assignment.substring(0, eq);
            String value = assignment.substring(eq + 1);
            labels.add(oneAxis && !BARE_VALUE.matcher(value).matches() ? value
                    : key.substring(key.lastIndexOf('.') + 1) + "=" + value);
            keys.add(id(value));
        }
        return new Arm(String.join(", ", labels), String.join("-", keys), arm.assignments());
    }

    private static String id(String text) {
        String id = NOT_ID.matcher(text).replaceAll("_");
        return id.isEmpty() ? "_" : id;
    }

    /** The template of {@code arm}: {@code config} with the common assignments, then the arm's own. */
    public ScenarioTemplate template(Optional<Path> config, Arm arm, String defaultWorkload) {
        return ScenarioTemplate.load(config, assignments(arm), defaultWorkload);
    }

    /** Every assignment of {@code arm}, common first: what {@code servesim run --set} needs to run it alone. */
    public List<String> assignments(Arm arm) {
        List<String> all = new ArrayList<>(common);
        all.addAll(arm.assignments());
        return all;
    }
}
