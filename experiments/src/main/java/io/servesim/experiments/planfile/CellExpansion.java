package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.scenario.ConfigOverrides;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadSpecs;

import io.servesim.core.memory.MemoryFit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Expands a step of a {@link PlanFile} into its cells: independent runs, each with a stable id, in one
 * deterministic order — the product of the axis groups (the first outermost, the keys of a group zipped), then
 * the loads, then the replications. The same plan, flags and derived values always give the same cells in the
 * same order, whatever runs them (threads, a resumed run, or one shard of many).
 *
 * <p>A cell's scenario is the base scenario with the step's {@code set:} values, then its axis values, then the
 * plan's matching {@link OverrideRule}s, applied as dotted keys. A section value with a {@code type}
 * ({@code scheduler: {type: multi_bin, bins: 4}}) keeps the base section's other keys when the base has the same
 * type, and replaces it otherwise. {@code gpus} sets replicas = gpus / (tp · pp).
 *
 * <p>Ids and labels come from the step's templates: {@code {key}} is a dotted key of the cell's scenario (every
 * default filled in), {@code gpus}, {@code load} or {@code step}; {@code {s:key}} is "s" unless the value is 1;
 * a {@code [...]} part is left out when a key inside has no value. Without a template the id is the step name and
 * each axis value, the label the axis keys and values.
 */
public final class CellExpansion {
    /** What id templates call an arm's name, {@code {arm}}. */
    static final String ARM = "arm";
    /** What label templates call an arm's label, {@code {arm_label}}. */
    static final String ARM_LABEL = "arm_label";
    /** What templates call the names of an arm's nesting levels, {@code {arms.0}} the outermost. */
    static final String ARMS = "arms";
    private final PlanFile plan;
    private final Map<WorkloadSpec, Double> ownRates = new ConcurrentHashMap<>();
    private final Set<String> notRun = Collections.synchronizedSet(new LinkedHashSet<>());

    public CellExpansion(PlanFile plan) {
        this.plan = plan;
    }

    public PlanFile plan() {
        return plan;
    }

    /**
     * One configuration of a step: everything but its load.
     *
     * @param key      its id before the load and replication parts
     * @param values   its axis values, key → value
     * @param scenario its scenario at the base load
     * @param context  what id and label templates read
     */
    public record Configuration(String key, Map<String, JsonNode> values, Scenario scenario, ObjectNode context) {
    }

    /** The configurations of {@code step}, in plan order; {@code derived} gives each derived value. */
    public List<Configuration> configurations(StepSpec step, Function<ValueSource.Derived, JsonNode> derived) {
        Map<String, JsonNode> fixed = new LinkedHashMap<>();
        for (Map.Entry<String, ValueSource> e : step.set().entrySet()) {
            fixed.put(e.getKey(), values(e.getValue(), derived).get(0));
        }
        List<Map<String, JsonNode>> combos = new ArrayList<>();
        List<StepSpec.Arm> armOf = new ArrayList<>();
        if (step.arms().isEmpty()) {
            combos.add(fixed);
            armOf.add(null);
        }
        for (StepSpec.Arm arm : step.arms()) {
            Map<String, JsonNode> combo = new LinkedHashMap<>(fixed);
            combo.putAll(arm.set());
            combos.add(combo);
            armOf.add(arm);
        }
        for (Map<String, ValueSource> group : step.axes()) {
            Map<String, List<JsonNode>> lists = new LinkedHashMap<>();
            group.forEach((key, source) -> lists.put(key, values(source, derived)));
            int length = lists.values().stream().mapToInt(List::size).max().orElse(0);
            for (Map.Entry<String, List<JsonNode>> e : lists.entrySet()) {
                if (e.getValue().size() != length) {
                    throw new ConfigException("step " + step.name() + ": zipped keys " + lists.keySet()
                            + " have lists of different lengths (" + e.getKey() + " has " + e.getValue().size() + ")");
                }
            }
            List<Map<String, JsonNode>> next = new ArrayList<>();
            List<StepSpec.Arm> nextArms = new ArrayList<>();
            for (int c = 0; c < combos.size(); c++) {
                for (int i = 0; i < length; i++) {
                    Map<String, JsonNode> extended = new LinkedHashMap<>(combos.get(c));
                    for (Map.Entry<String, List<JsonNode>> e : lists.entrySet()) {
                        extended.put(e.getKey(), e.getValue().get(i));
                    }
                    next.add(extended);
                    nextArms.add(armOf.get(c));
                }
            }
            combos = next;
            armOf = nextArms;
        }
        List<Configuration> configurations = new ArrayList<>(combos.size());
        for (int c = 0; c < combos.size(); c++) {
            configurations.add(configuration(step, combos.get(c), armOf.get(c)));
        }
        return configurations;
    }

    /**
     * The configurations of {@code step} that run: all of them, or with {@link PlanFile#skipUnfit()} those whose
     * weights fit their GPUs (the others are noted in {@link #notRun()}).
     */
    private List<Configuration> running(StepSpec step, Function<ValueSource.Derived, JsonNode> derived) {
        List<Configuration> running = new ArrayList<>();
        for (Configuration configuration : configurations(step, derived)) {
            String misfit = plan.skipUnfit() ? misfit(configuration.scenario()) : null;
            if (misfit == null) {
                running.add(configuration);
            } else {
                ObjectNode context = configuration.context().deepCopy();
                context.put("load", "base");
                notRun.add(label(step, configuration, context, false) + ": not run: " + misfit);
            }
        }
        return running;
    }

    /** Why the scenario's weights do not fit its GPUs (the memory arithmetic), or null when they fit. */
    private static String misfit(Scenario scenario) {
        for (DeploymentConfig hardware : scenario.hardware()) {
            MemoryFit fit = hardware.resolve(hardware.loadCatalog()).memoryFit();
            if (fit instanceof MemoryFit.DoesNotFit) {
                return fit.describe();
            }
        }
        return null;
    }

    /** The configurations left out because their weights do not fit, with the memory arithmetic, in plan order. */
    public List<String> notRun() {
        return List.copyOf(notRun);
    }

    /**
     * The cells of {@code step}: every configuration at every load, {@code replications} times. With a load relative
     * to capacity, {@code capacityRps} gives each configuration's capacity under its SLA (req/s); otherwise it is not
     * called.
     */
    public List<Cell> cells(StepSpec step, Function<ValueSource.Derived, JsonNode> derived,
                            Function<Configuration, Double> capacityRps) {
        LoadSpec load = plan.effectiveLoad(step);
        int replications = step.replications() != null ? step.replications() : plan.replications();
        List<Cell> cells = new ArrayList<>();
        for (Configuration configuration : running(step, derived)) {
            List<Double> loads = load == null ? java.util.Collections.singletonList(null) : load.values();
            for (Double value : loads) {
                Scenario scenario = configuration.scenario();
                ObjectNode context = configuration.context().deepCopy();
                if (value != null) {
                    double scale = rpsScale(load.kind(), value, scenario.workload(), configuration, capacityRps);
                    scenario = scenario.withWorkload(scenario.workload().withRpsScale(
                            plan.rpsFactor() == 1 ? scale : scale * plan.rpsFactor()));
                    context.set("load", DoubleNode.valueOf(value));
                    context.set("workload", ConfigMapper.json().valueToTree(scenario.workload()));
                }
                boolean loadAxis = value != null && load.values().size() > 1;
                String key = id(step, configuration, context, loadAxis);
                String label = label(step, configuration, context, loadAxis);
                for (int r = 0; r < replications; r++) {
                    cells.add(Cell.seeded(key, step.name(), label, r, scenario, plan.seed()));
                }
            }
        }
        return cells;
    }

    /** One cell per configuration and replication at the base load: what the capacity searches of a step probe. */
    public List<Cell> configurationCells(StepSpec step, Function<ValueSource.Derived, JsonNode> derived) {
        int replications = step.replications() != null ? step.replications() : plan.replications();
        List<Cell> cells = new ArrayList<>();
        for (Configuration configuration : running(step, derived)) {
            ObjectNode context = configuration.context().deepCopy();
            context.put("load", "base");
            String label = label(step, configuration, context, false);
            for (int r = 0; r < replications; r++) {
                cells.add(Cell.seeded(configuration.key(), step.name(), label, r, configuration.scenario(), plan.seed()));
            }
        }
        return cells;
    }

    /** The workload's own long-run request rate at rps_scale 1 (req/s). */
    public double ownRateRps(WorkloadSpec workload) {
        return ownRates.computeIfAbsent(workload.withRpsScale(1.0),
                w -> Workload.compile(w).requestRatePerSecond());
    }

    private double rpsScale(LoadSpec.Kind kind, double value, WorkloadSpec workload, Configuration configuration,
                            Function<Configuration, Double> capacityRps) {
        return switch (kind) {
            case SCALE -> value;
            case RPS -> value / ownRateRps(workload);
            case RELATIVE_TO_CAPACITY -> value * capacityRps.apply(configuration) / ownRateRps(workload);
        };
    }

    private List<JsonNode> values(ValueSource source, Function<ValueSource.Derived, JsonNode> derived) {
        if (source instanceof ValueSource.Literal literal) {
            return literal.values();
        }
        if (source instanceof ValueSource.Ladder ladder) {
            List<JsonNode> values = plan.ladders().get(ladder.name());
            if (values == null) {
                throw new ConfigException("the plan has no ladder '" + ladder.name() + "'");
            }
            return ladder.largest() ? List.of(values.stream()
                    .max((a, b) -> Double.compare(a.asDouble(), b.asDouble())).orElseThrow()) : values;
        }
        return List.of(derived.apply((ValueSource.Derived) source));
    }

    private Configuration configuration(StepSpec step, Map<String, JsonNode> combo, StepSpec.Arm arm) {
        ObjectNode tree = plan.base().deepCopy();
        JsonNode workload = tree.get("workload");
        if (workload != null && workload.isTextual()) {
            tree.set("workload", ConfigMapper.treeWithoutNulls(WorkloadSpecs.resolve(workload.asText())));
        }
        Integer gpus = null;
        String where = "step " + step.name() + ", cell " + combo;
        for (Map.Entry<String, JsonNode> e : combo.entrySet()) {
            if (e.getKey().equals(PlanFileReader.GPUS)) {
                if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 1) {
                    throw new ConfigException(where + ": gpus must be a count >= 1, got " + e.getValue());
                }
                gpus = e.getValue().asInt();
            } else {
                assign(tree, e.getKey(), e.getValue(), where);
            }
        }
        for (OverrideRule rule : plan.rules()) {
            if (rule.when().entrySet().stream().allMatch(w -> sameValue(at(tree, w.getKey()), w.getValue()))) {
                rule.set().forEach((key, value) -> assign(tree, key, value, where + " (rules)"));
            }
        }
        Scenario scenario;
        try {
            scenario = Scenario.fromTree(tree);
        } catch (ConfigException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
        if (gpus != null) {
            DeploymentConfig d = scenario.deployment();
            int perReplica = d.tp() * d.pp();
            if (gpus % perReplica != 0) {
                throw new ConfigException(where + ": gpus " + gpus + " must be a multiple of tp · pp = " + perReplica
                        + " (each replica uses tp · pp GPUs)");
            }
            scenario = scenario.withDeployment(d.withParallelism(d.tp(), d.pp(), gpus / perReplica));
        }
        if (plan.rpsFactor() != 1) {
            scenario = scenario.withWorkload(scenario.workload().withRpsScale(
                    scenario.workload().rpsScale() * plan.rpsFactor()));
        }
        ObjectNode context = context(scenario, step);
        if (arm != null) {
            context.put(ARM, arm.name());
            context.put(ARM_LABEL, arm.label());
            ObjectNode levels = context.putObject(ARMS);
            for (int level = 0; level < arm.path().size(); level++) {
                levels.put(String.valueOf(level), arm.path().get(level));
            }
        }
        Configuration provisional = new Configuration(null, combo, scenario, context);
        ObjectNode keyContext = context.deepCopy();
        keyContext.put("load", "base");   // a configuration's key names its base load; its cells name theirs
        return new Configuration(id(step, provisional, keyContext, false), combo, scenario, context);
    }

    /** What templates read: the scenario with every default (scheduler and router as sections), gpus and the step. */
    private static ObjectNode context(Scenario scenario, StepSpec step) {
        ObjectNode context = ConfigMapper.json().valueToTree(scenario);
        JsonNode scheduling = context.remove("scheduling");
        context.set("scheduler", scheduling.get("scheduler"));
        context.set("router", scheduling.get("router"));
        DeploymentConfig d = scenario.deployment();
        context.set(PlanFileReader.GPUS, IntNode.valueOf(d.tp() * d.pp() * d.replicas()));
        context.set("step", TextNode.valueOf(step.name()));
        return context;
    }

    private String id(StepSpec step, Configuration configuration, ObjectNode context, boolean loadAxis) {
        if (step.idTemplate() != null) {
            String id = Templates.render(step.idTemplate(), context, "step " + step.name() + " id");
            return loadAxis && !step.idTemplate().contains("{load}") ? id + "-load" + context.get("load").asText() : id;
        }
        StringBuilder id = new StringBuilder(step.name());
        if (context.has(ARM) && !context.get(ARM).asText().isEmpty()) {
            id.append('-').append(context.get(ARM).asText());
        }
        for (Map<String, ValueSource> group : step.axes()) {
            for (String key : group.keySet()) {
                JsonNode value = configuration.values().get(key);
                String name = key.substring(key.lastIndexOf('.') + 1);
                id.append('-').append(name).append(Templates.compact(value));
            }
        }
        if (loadAxis) {
            id.append("-load").append(context.get("load").asText());
        }
        return id.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private String label(StepSpec step, Configuration configuration, ObjectNode context, boolean loadAxis) {
        if (step.labelTemplate() != null) {
            String label = Templates.render(step.labelTemplate(), context, "step " + step.name() + " label");
            return loadAxis && !step.labelTemplate().contains("{load}") ? label + ", load " + context.get("load").asText()
                    : label;
        }
        List<String> parts = new ArrayList<>();
        if (context.has(ARM_LABEL)) {
            parts.add(context.get(ARM_LABEL).asText());
        }
        for (Map<String, ValueSource> group : step.axes()) {
            for (String key : group.keySet()) {
                parts.add(key + "=" + Templates.compact(configuration.values().get(key)));
            }
        }
        if (loadAxis) {
            parts.add("load " + context.get("load").asText());
        }
        return parts.isEmpty() ? step.name() : String.join(", ", parts);
    }

    /** Sets {@code dotted} in {@code tree}; a typed section of the same type as the one there is merged into it. */
    static void assign(ObjectNode tree, String dotted, JsonNode value, String where) {
        String[] keys = dotted.split("\\.", -1);
        ObjectNode node = ConfigOverrides.parentSection(tree, keys, where + ": " + dotted);
        String last = keys[keys.length - 1];
        if (node == tree && last.equals("workload") && value.isTextual()) {
            value = ConfigMapper.treeWithoutNulls(WorkloadSpecs.resolve(value.asText()));
        }
        JsonNode existing = node.get(last);
        if (value.isObject() && value.has("type") && existing != null && existing.isObject()
                && value.get("type").equals(existing.get("type"))) {
            ObjectNode merged = ((ObjectNode) existing).deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                merged.set(field.getKey(), field.getValue().deepCopy());
            }
            node.set(last, merged);
        } else {
            node.set(last, value.deepCopy());
        }
    }

    private static JsonNode at(ObjectNode tree, String dotted) {
        JsonNode node = tree;
        for (String key : dotted.split("\\.", -1)) {
            node = node == null ? null : node.get(key);
        }
        return node;
    }

    private static boolean sameValue(JsonNode actual, JsonNode expected) {
        if (actual == null || actual.isNull()) {
            return expected == null || expected.isNull();
        }
        return actual.isValueNode() && expected.isValueNode() ? actual.asText().equals(expected.asText())
                : actual.equals(expected);
    }
}
