package io.servesim.experiments.planfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a plan file: its name (the {@code step} column and the file {@code <prefix>_<name>.csv}), the cell
 * id and label templates, the fixed settings, the axes and the load.
 *
 * <p>The cells are the product of the axis groups, the first group outermost; the keys of one group are zipped
 * (their lists have one length). A key is a dotted key of the scenario ({@code deployment.tp},
 * {@code scheduler.bins}, {@code workload.requests}, a whole section such as {@code scheduler}) or {@code gpus}
 * (total GPUs: replicas = gpus / (tp · pp)). The load is the innermost axis, replications innermost of all.
 *
 * @param name         the step's name, e.g. {@code step1_request_scaling}
 * @param idTemplate   the cell id without {@code -r<replication>}, e.g. {@code step2-g{gpus}}, or null for the default
 * @param labelTemplate the cell label, or null for the default
 * @param set          settings of every cell of the step (a one-value axis each), in order
 * @param axes         the axis groups
 * @param load         the step's load, or null for the plan's
 * @param replications runs per cell of this step, or null for the plan's
 * @param capacity     whether the capacity of this step's configurations is measured, or null for the plan's rule
 * @param arms         named arms, the outermost group of the step's configurations (empty: none)
 * @param file         the file of the step's rows, or null for {@code <prefix>_<name>.csv}
 */
public record StepSpec(String name, String idTemplate, String labelTemplate, Map<String, ValueSource> set,
                       List<Map<String, ValueSource>> axes, LoadSpec load, Integer replications, Boolean capacity,
                       List<Arm> arms, String file) {
    public StepSpec {
        set = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
        axes = axes.stream().map(g -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(g))).toList();
        arms = List.copyOf(arms);
    }

    /**
     * One named arm of a step: a row of a table of configurations, with its own settings. Nested arms in the file
     * are flattened when it is read: names joined by {@code -}, labels by {@code : }, settings merged (inner wins).
     *
     * @param path  the names of the arm and of the arms it is nested in, outermost first ({@code {arms.0}},
     *              {@code {arms.1}}, … in templates); its name, {@code {arm}}, is them joined by {@code -}
     * @param label the arm's label ({@code {arm_label}} in templates; its name when the file gives none)
     * @param set   dotted key → value, applied after the step's {@code set:} and before its axes
     */
    public record Arm(List<String> path, String label, Map<String, com.fasterxml.jackson.databind.JsonNode> set) {
        public Arm {
            path = List.copyOf(path);
            set = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
        }

        /** The names of its path that are not empty, joined by {@code -}. */
        public String name() {
            return String.join("-", path.stream().filter(p -> !p.isEmpty()).toList());
        }
    }

    /** Whether the step or one of its arms sets {@code key} or a key inside it (e.g. {@code workload.requests}). */
    public boolean varies(String key) {
        java.util.function.Predicate<String> under = k -> k.equals(key) || k.startsWith(key + ".")
                || key.startsWith(k + ".");
        return set.keySet().stream().anyMatch(under) || axes.stream().anyMatch(g -> g.keySet().stream().anyMatch(under))
                || arms.stream().anyMatch(a -> a.set().keySet().stream().anyMatch(under));
    }

    /** The steps this one derives values from, in order of mention. */
    public List<String> dependsOn() {
        List<String> steps = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.of(set), axes.stream())
                .flatMap(m -> m.values().stream())
                .forEach(v -> {
                    if (v instanceof ValueSource.Derived d && !steps.contains(d.fromStep())) {
                        steps.add(d.fromStep());
                    }
                });
        return steps;
    }

    /** The same step with every value derived by {@code rule} replaced by {@code value}. */
    public StepSpec withDerived(DerivedRule rule, com.fasterxml.jackson.databind.JsonNode value) {
        return new StepSpec(name, idTemplate, labelTemplate, replaceDerived(set, rule, value),
                axes.stream().map(g -> replaceDerived(g, rule, value)).toList(), load, replications, capacity, arms, file);
    }

    /** The same step with {@code newReplications} runs per cell (null: the plan's). */
    public StepSpec withReplications(Integer newReplications) {
        return new StepSpec(name, idTemplate, labelTemplate, set, axes, load, newReplications, capacity, arms, file);
    }

    /** The same step with {@code newLoad} (null: the plan's). */
    public StepSpec withLoad(LoadSpec newLoad) {
        return new StepSpec(name, idTemplate, labelTemplate, set, axes, newLoad, replications, capacity, arms, file);
    }

    private static Map<String, ValueSource> replaceDerived(Map<String, ValueSource> values, DerivedRule rule,
                                                           com.fasterxml.jackson.databind.JsonNode value) {
        Map<String, ValueSource> replaced = new LinkedHashMap<>();
        values.forEach((key, source) -> replaced.put(key, source instanceof ValueSource.Derived d && d.rule() == rule
                ? new ValueSource.Literal(List.of(value)) : source));
        return replaced;
    }
}
