package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.experiments.plan.CapacitySpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * An experiment as data: a base scenario, named ladders of values, the load, optional capacity searches, override
 * rules and the steps whose axes expand into cells (docs/experiments.md). {@link PlanFileReader} reads one from
 * YAML; the {@code with…} methods apply the flags of a command, which override the file.
 *
 * @param name         the plan's name (a bundled plan's file name without {@code .yaml})
 * @param description  one line on what it studies
 * @param experiment   the {@code experiment} column and the default folder {@code results/<experiment>-<time>}
 * @param filePrefix   result files are {@code <prefix>_<step>.csv}, {@code <prefix>_all_results.csv},
 *                     {@code <prefix>_timings.csv}
 * @param base         the base scenario's sections (the format of {@code servesim run}), workload resolved
 * @param seed         the plan seed every cell's seed derives from
 * @param replications runs per cell unless a step says otherwise
 * @param ladders      named value lists that axes refer to and flags can cap
 * @param load         the load of steps that state none (null: the workload's own rate)
 * @param capacity     capacity searches for every configuration, adding the capacity columns (null: none, unless
 *                     a step's load is relative to capacity, which then searches with the defaults)
 * @param rules        override rules, applied to every cell in order
 * @param steps        the steps, in the order of their files
 * @param analysis     the analyses to run after the run, in order (empty: none; {@link #DEFAULT_ANALYSIS} by default)
 * @param skipUnfit    whether a configuration whose weights do not fit its GPUs is left out with a note (else it
 *                     stops the plan before anything runs)
 * @param capacityStartScale the rps_scale every capacity search of a measuring step starts at, or null for the
 *                     scale of the cells it measures
 * @param rpsFactor    multiplies every cell's arrival rate (its rps_scale, whatever set it) and the start of the
 *                     capacity searches (1: none)
 */
public record PlanFile(String name, String description, String experiment, String filePrefix, ObjectNode base,
                       long seed, int replications, Map<String, List<JsonNode>> ladders, LoadSpec load,
                       CapacitySpec capacity, List<OverrideRule> rules, List<StepSpec> steps,
                       List<AnalysisChoice> analysis, boolean skipUnfit, Double capacityStartScale,
                       double rpsFactor) {
    /** The analyses of a plan that does not choose: findings, figures and the report. */
    public static final List<AnalysisChoice> DEFAULT_ANALYSIS = List.of(new AnalysisChoice(AnalysisChoice.FINDINGS,
            JsonNodeFactory.instance.objectNode()));

    public PlanFile {
        Map<String, List<JsonNode>> copied = new LinkedHashMap<>();
        ladders.forEach((k, v) -> copied.put(k, List.copyOf(v)));
        ladders = Collections.unmodifiableMap(copied);
        rules = List.copyOf(rules);
        steps = List.copyOf(steps);
        analysis = List.copyOf(analysis);
    }

    /** Where the capacity searches of a measuring step start (rps_scale), or null for each cell's own scale. */
    public Double capacityStart() {
        return capacityStartScale == null ? null : capacityStartScale * rpsFactor;
    }

    /**
     * Every arrival rate multiplied by {@code factor} (over the plan's own factor); a load relative to capacity is
     * already a fraction of what each configuration sustains, so a plan with one cannot be scaled.
     */
    public PlanFile withRpsFactor(double factor) {
        for (StepSpec step : steps) {
            LoadSpec stepLoad = effectiveLoad(step);
            if (stepLoad != null && stepLoad.relativeToCapacity()) {
                throw new ConfigException("the plan " + name + " offers step " + step.name() + " loads relative to"
                        + " capacity; they cannot be multiplied (give the plan absolute loads)");
            }
        }
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, ladders, load,
                capacity, rules, steps, analysis, skipUnfit, capacityStartScale, rpsFactor * factor);
    }

    /** Whether the plan's analyses include the findings, figures and report of docs/analysis.md. */
    public boolean findings() {
        return analysis.stream().anyMatch(a -> a.name().equals(AnalysisChoice.FINDINGS));
    }

    /**
     * The kinds of figure the findings draw: the {@code figures} of the {@code findings} entry, else every kind of
     * {@link io.servesim.analysis.figures.StudyFigures#KINDS}.
     */
    public Set<String> figureKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        analysis.stream().filter(a -> a.name().equals(AnalysisChoice.FINDINGS))
                .forEach(a -> a.options().path(AnalysisChoice.FIGURES).forEach(f -> kinds.add(f.asText())));
        return kinds.isEmpty() ? Set.copyOf(io.servesim.analysis.figures.StudyFigures.KINDS) : kinds;
    }

    /** The analyses other than the findings (the tables that {@code servesim study} prints and writes). */
    public List<AnalysisChoice> tables() {
        return analysis.stream().filter(a -> !a.name().equals(AnalysisChoice.FINDINGS)).toList();
    }

    /** Whether some step or arm sets {@code key} (or a key inside it) for its cells, over the base scenario's. */
    public boolean varies(String key) {
        return steps.stream().anyMatch(s -> s.varies(key));
    }

    /** The step named {@code stepName}, or null. */
    public StepSpec step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst().orElse(null);
    }

    /** The file of a step's rows. */
    public String stepFile(String stepName) {
        StepSpec step = step(stepName);
        return step != null && step.file() != null ? step.file() : filePrefix + "_" + stepName + ".csv";
    }

    /** The file of every step's rows, or null for a plan of one step (its step file holds them all). */
    public String allResultsFile() {
        return steps.size() > 1 ? filePrefix + "_all_results.csv" : null;
    }

    public String timingsFile() {
        return filePrefix + "_timings.csv";
    }

    /** Whether some step measures the capacity of its configurations (every row then has the capacity columns). */
    public boolean needsCapacity() {
        return steps.stream().anyMatch(this::measuresCapacity);
    }

    /**
     * Whether {@code step} measures the capacity of its configurations: as it states, else when the plan states
     * {@code capacity:}; always when its load is relative to capacity.
     */
    public boolean measuresCapacity(StepSpec step) {
        LoadSpec stepLoad = effectiveLoad(step);
        if (stepLoad != null && stepLoad.relativeToCapacity()) {
            return true;
        }
        return step.capacity() != null ? step.capacity() : capacity != null;
    }

    /** The load of {@code step}: its own, else the plan's (null: the workload's own rate). */
    public LoadSpec effectiveLoad(StepSpec step) {
        return step.load() != null ? step.load() : load;
    }

    public PlanFile withSeed(long newSeed) {
        return new PlanFile(name, description, experiment, filePrefix, base, newSeed, replications, ladders, load,
                capacity, rules, steps, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    /** Every step with {@code newReplications} runs per cell. */
    public PlanFile withReplications(int newReplications) {
        List<StepSpec> replaced = steps.stream().map(s -> s.withReplications(null)).toList();
        return new PlanFile(name, description, experiment, filePrefix, base, seed, newReplications, ladders, load,
                capacity, rules, replaced, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    public PlanFile withBase(ObjectNode newBase) {
        return new PlanFile(name, description, experiment, filePrefix, newBase, seed, replications, ladders, load,
                capacity, rules, steps, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    public PlanFile withCapacity(CapacitySpec newCapacity) {
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, ladders, load,
                newCapacity, rules, steps, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    /** The plan's load and every step's that is stated as a scale or a rate replaced by {@code newLoad}. */
    public PlanFile withLoad(LoadSpec newLoad) {
        List<StepSpec> replaced = steps.stream().map(s -> s.load() != null && !s.load().relativeToCapacity()
                ? s.withLoad(null) : s).toList();
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, ladders, newLoad,
                capacity, rules, replaced, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    public PlanFile withRule(OverrideRule rule) {
        List<OverrideRule> more = new ArrayList<>(rules);
        more.add(rule);
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, ladders, load,
                capacity, more, steps, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }

    /** Every value derived by {@code rule} replaced by {@code value} (a flag that gives it). */
    public PlanFile withDerived(DerivedRule rule, JsonNode value) {
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, ladders, load,
                capacity, rules, steps.stream().map(s -> s.withDerived(rule, value)).toList(), analysis,
                skipUnfit, capacityStartScale, rpsFactor);
    }

    /**
     * The ladder {@code ladder} capped at {@code cap}: its values below the cap, then the cap itself, ascending
     * (1K, 10K, 100K, 1M capped at 2,000 gives 1K and 2K; at 5M it gives 1K … 1M and 5M).
     */
    public PlanFile withCap(String ladder, long cap) {
        List<JsonNode> values = ladders.get(ladder);
        if (values == null) {
            throw new ConfigException("the plan " + name + " has no ladder '" + ladder + "' to cap; its ladders: "
                    + ladders.keySet());
        }
        TreeMap<Long, JsonNode> capped = new TreeMap<>();
        for (JsonNode value : values) {
            if (!value.canConvertToLong()) {
                throw new ConfigException("ladders." + ladder + " holds " + value + ", not a count; it cannot be capped");
            }
            if (value.asLong() < cap) {
                capped.put(value.asLong(), value);
            }
        }
        capped.put(cap, values.get(0).isInt() && cap <= Integer.MAX_VALUE
                ? JsonNodeFactory.instance.numberNode((int) cap) : JsonNodeFactory.instance.numberNode(cap));
        Map<String, List<JsonNode>> replaced = new LinkedHashMap<>(ladders);
        replaced.put(ladder, new ArrayList<>(capped.values()));
        return new PlanFile(name, description, experiment, filePrefix, base, seed, replications, replaced, load,
                capacity, rules, steps, analysis, skipUnfit, capacityStartScale, rpsFactor);
    }
}
