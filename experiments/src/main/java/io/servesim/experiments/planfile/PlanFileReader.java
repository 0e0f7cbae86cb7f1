package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.analysis.figures.StudyFigures;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.report.PlanReports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plan file strictly: every unknown key, wrong type or impossible value is reported by its dotted path
 * (e.g. {@code steps[2].axes.scheduler.bins: must be a list, a range or a ladder}), all of them at once, in one
 * {@link ConfigException}, before anything runs. The format is in docs/experiments.md.
 */
public final class PlanFileReader {
    private static final Set<String> TOP = Set.of("name", "description", "experiment", "file_prefix", "base", "seed",
            "replications", "ladders", "load", "capacity", "rules", "steps", "analysis", "unfit", "rps_factor");
    private static final Set<String> STEP = Set.of("name", "id", "label", "set", "axes", "combine", "load",
            "replications", "capacity", "arms", "file");
    private static final Set<String> ARM = Set.of("name", "label", "set", "arms");
    /** The capacity key that is the plan's, not a search option. */
    private static final String CAPACITY_START = "start_rps_scale";
    private static final Set<String> SCENARIO_SECTIONS = Set.of("deployment", "engine", "scheduler", "router",
            "workload", "metrics", "pools");
    /** The axis key that sets the total GPU count (replicas = gpus / (tp · pp)). */
    public static final String GPUS = "gpus";

    private final List<String> errors = new ArrayList<>();
    private final String source;

    private PlanFileReader(String source) {
        this.source = source;
    }

    /** Reads the plan file {@code file}; a relative {@code base:} path is read relative to it. */
    public static PlanFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("plan file " + file + " does not exist or is not a file");
        }
        JsonNode root = ConfigMapper.read(file, JsonNode.class);
        String fileName = file.getFileName().toString();
        return new PlanFileReader(fileName).plan(root, fileName.replaceFirst("\\.ya?ml$", ""),
                file.toAbsolutePath().getParent());
    }

    /** Reads a plan from YAML text ({@code name} is its default name, relative base paths resolve under {@code dir}). */
    public static PlanFile read(String yaml, String name, Path dir) {
        JsonNode root;
        try {
            root = ConfigMapper.yaml().readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(name + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return new PlanFileReader(name).plan(root, name, dir);
    }

    /** Reads a plan from a stream of YAML. */
    public static PlanFile read(InputStream yaml, String name, Path dir) {
        try {
            return read(new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan " + name, e);
        }
    }

    private PlanFile plan(JsonNode root, String defaultName, Path dir) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": a plan file must be a mapping (name, base, steps, ...)");
        }
        unknownKeys(root, TOP, "");
        String name = text(root, "name", "name", defaultName);
        String description = text(root, "description", "description", "");
        String experiment = text(root, "experiment", "experiment", "plan");
        String prefix = text(root, "file_prefix", "file_prefix", experiment + "_results");
        ObjectNode base = base(root.get("base"), dir);
        long seed = 42;
        if (root.has("seed")) {
            if (root.get("seed").canConvertToLong()) {
                seed = root.get("seed").asLong();
            } else {
                error("seed", "must be an integer, got " + root.get("seed"));
            }
        }
        int replications = positiveInt(root.get("replications"), "replications", 1);
        Map<String, List<JsonNode>> ladders = new LinkedHashMap<>();
        JsonNode laddersNode = root.get("ladders");
        if (laddersNode != null) {
            if (!laddersNode.isObject()) {
                error("ladders", "must be a mapping of name → list or range");
            } else {
                laddersNode.fields().forEachRemaining(e -> {
                    ValueSource values = valueSource(e.getValue(), "ladders." + e.getKey(), false);
                    if (values instanceof ValueSource.Literal literal) {
                        ladders.put(e.getKey(), literal.values());
                    } else if (values != null) {
                        error("ladders." + e.getKey(), "must be a list or a range");
                    }
                });
            }
        }
        LoadSpec load = root.has("load") ? load(root.get("load"), "load") : null;
        CapacitySpec capacity = capacity(root.get("capacity"));
        Double capacityStart = null;
        if (root.path("capacity").has(CAPACITY_START)) {
            JsonNode start = root.get("capacity").get(CAPACITY_START);
            if (start.isNumber() && start.asDouble() > 0) {
                capacityStart = start.asDouble();
            } else {
                error("capacity." + CAPACITY_START, "must be a number > 0 (the rps_scale every search starts at), got "
                        + start);
            }
        }
        List<OverrideRule> rules = rules(root.get("rules"));
        List<StepSpec> steps = new ArrayList<>();
        JsonNode stepsNode = root.get("steps");
        if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) {
            error("steps", "must be a non-empty list of steps");
        } else {
            for (int i = 0; i < stepsNode.size(); i++) {
                StepSpec step = step(stepsNode.get(i), "steps[" + i + "]");
                if (step != null) {
                    steps.add(step);
                }
            }
        }
        List<AnalysisChoice> analysis = analysis(root.get("analysis"));
        String unfit = text(root, "unfit", "unfit", "stop");
        if (!unfit.equals("stop") && !unfit.equals("skip")) {
            error("unfit", "must be stop (a configuration whose weights do not fit stops the plan before it runs) or"
                    + " skip (it is left out, with the memory arithmetic in config.json), got '" + unfit + "'");
        }
        double rpsFactor = 1;
        if (root.has("rps_factor")) {
            JsonNode factor = root.get("rps_factor");
            if (factor.isNumber() && factor.asDouble() > 0 && Double.isFinite(factor.asDouble())) {
                rpsFactor = factor.asDouble();
            } else {
                error("rps_factor", "must be a number > 0 (it multiplies every cell's arrival rate), got " + factor);
            }
        }
        checkReferences(steps, ladders);
        if (!errors.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", errors));
        }
        PlanFile plan = new PlanFile(name, description, experiment, prefix, base, seed, replications, ladders, load,
                capacity, rules, steps, analysis, unfit.equals("skip"), capacityStart, 1);
        return rpsFactor == 1 ? plan : plan.withRpsFactor(rpsFactor);
    }

    /** {@code true} (the findings), {@code false} (none), or a list of analysis names or {name: NAME, options...}. */
    private List<AnalysisChoice> analysis(JsonNode node) {
        if (node == null || node.isNull()) {
            return PlanFile.DEFAULT_ANALYSIS;
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? PlanFile.DEFAULT_ANALYSIS : List.of();
        }
        String known = AnalysisChoice.FINDINGS + ", " + String.join(", ", PlanReports.names());
        if (!node.isArray()) {
            error("analysis", "must be true, false or a list of analyses (" + known + ")");
            return List.of();
        }
        List<AnalysisChoice> choices = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String path = "analysis[" + i + "]";
            ObjectNode options = JsonNodeFactory.instance.objectNode();
            String analysisName;
            if (entry.isTextual()) {
                analysisName = entry.asText();
            } else if (entry.isObject() && entry.path("name").isTextual()) {
                analysisName = entry.get("name").asText();
                options = ((ObjectNode) entry).deepCopy();
                options.remove("name");
            } else {
                error(path, "must be an analysis name or {name: NAME, ...its options}; analyses: " + known);
                continue;
            }
            if (!analysisName.equals(AnalysisChoice.FINDINGS) && !PlanReports.names().contains(analysisName)) {
                error(path, "unknown analysis '" + analysisName + "'; analyses: " + known);
                continue;
            }
            if (analysisName.equals(AnalysisChoice.FINDINGS)) {
                unknownKeys(options, Set.of(AnalysisChoice.FIGURES), path + ".");
                JsonNode figures = options.get(AnalysisChoice.FIGURES);
                if (figures != null && (!figures.isArray() || figures.isEmpty())) {
                    error(path + ".figures", "must be a non-empty list of figures; figures: "
                            + String.join(", ", StudyFigures.KINDS));
                } else if (figures != null) {
                    for (JsonNode figure : figures) {
                        if (!StudyFigures.KINDS.contains(figure.asText())) {
                            error(path + ".figures", "unknown figure '" + figure.asText() + "'; figures: "
                                    + String.join(", ", StudyFigures.KINDS));
                        }
                    }
                }
            } else {
                unknownKeys(options, PlanReports.byName(analysisName).options(), path + ".");
                PlanReports.byName(analysisName).check(options).forEach(problem -> errors.add(path + "." + problem));
            }
            choices.add(new AnalysisChoice(analysisName, options));
        }
        return choices;
    }

    private void checkReferences(List<StepSpec> steps, Map<String, List<JsonNode>> ladders) {
        List<String> earlier = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            String path = "steps[" + i + "]";
            if (!seen.add(step.name())) {
                error(path + ".name", "'" + step.name() + "' is the name of an earlier step; step names must differ");
            }
            for (String from : step.dependsOn()) {
                if (!earlier.contains(from)) {
                    error(path, "derives a value from '" + from + "', which is not an earlier step (earlier steps: "
                            + earlier + ")");
                }
            }
            List<Map<String, ValueSource>> groups = new ArrayList<>(step.axes());
            groups.add(step.set());
            for (Map<String, ValueSource> group : groups) {
                group.forEach((key, source) -> {
                    if (source instanceof ValueSource.Ladder ladder && !ladders.containsKey(ladder.name())) {
                        error(path + "." + key, "refers to the ladder '" + ladder.name() + "', which ladders: does"
                                + " not define (defined: " + ladders.keySet() + ")");
                    }
                });
            }
            earlier.add(step.name());
        }
    }

    private ObjectNode base(JsonNode node, Path dir) {
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        ObjectNode base;
        if (node.isTextual()) {
            Path file = dir == null ? Path.of(node.asText()) : dir.resolve(node.asText());
            if (!Files.isRegularFile(file)) {
                error("base", "the scenario file " + file + " does not exist (a path is read relative to the plan file)");
                return JsonNodeFactory.instance.objectNode();
            }
            JsonNode read = ConfigMapper.read(file, JsonNode.class);
            if (!read.isObject()) {
                error("base", file + " is not a mapping of scenario sections");
                return JsonNodeFactory.instance.objectNode();
            }
            base = (ObjectNode) read;
        } else if (node.isObject()) {
            base = ((ObjectNode) node).deepCopy();
        } else {
            error("base", "must be a scenario (a mapping of deployment, engine, scheduler, router, workload, metrics)"
                    + " or the path of a scenario file");
            return JsonNodeFactory.instance.objectNode();
        }
        for (Iterator<String> names = base.fieldNames(); names.hasNext(); ) {
            String section = names.next();
            // a scenario file's seed may stay: every cell's seed derives from the plan's seed instead
            if (!SCENARIO_SECTIONS.contains(section) && !section.equals("seed")) {
                error("base." + section, "is not a scenario section (" + String.join(", ", new java.util.TreeSet<>(
                        SCENARIO_SECTIONS)) + ")");
            }
        }
        return base;
    }

    private StepSpec step(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be a mapping (name, set, axes, load, ...)");
            return null;
        }
        unknownKeys(node, STEP, path + ".");
        String name = text(node, "name", path + ".name", null);
        if (name == null) {
            error(path + ".name", "is required (the step column and the file <prefix>_<name>.csv)");
            name = "step" + path;
        } else if (!name.matches("[A-Za-z0-9_.-]+")) {
            error(path + ".name", "must be letters, digits, '_', '-' or '.', got '" + name + "'");
        }
        String id = text(node, "id", path + ".id", null);
        String label = text(node, "label", path + ".label", null);
        Map<String, ValueSource> set = new LinkedHashMap<>();
        JsonNode setNode = node.get("set");
        if (setNode != null) {
            if (!setNode.isObject()) {
                error(path + ".set", "must be a mapping of dotted key → value");
            } else {
                setNode.fields().forEachRemaining(e -> {
                    String keyPath = path + ".set." + e.getKey();
                    checkKey(e.getKey(), keyPath);
                    ValueSource value = valueSource(e.getValue(), keyPath, true);
                    if (value instanceof ValueSource.Literal literal && literal.values().size() != 1) {
                        error(keyPath, "set: takes one value; a list of values is an axis (axes:)");
                    } else if (value instanceof ValueSource.Ladder ladder && !ladder.largest()) {
                        error(keyPath, "set: takes one value; give pick: largest, or move the ladder to axes:");
                    } else if (value != null) {
                        set.put(e.getKey(), value);
                    }
                });
            }
        }
        String combine = text(node, "combine", path + ".combine", "product");
        if (!combine.equals("product") && !combine.equals("zip")) {
            error(path + ".combine", "must be product (every combination) or zip (the i-th values together), got '"
                    + combine + "'");
        }
        List<Map<String, ValueSource>> axes = new ArrayList<>();
        JsonNode axesNode = node.get("axes");
        if (axesNode != null) {
            if (axesNode.isObject()) {
                Map<String, ValueSource> zipped = new LinkedHashMap<>();
                axesNode.fields().forEachRemaining(e -> {
                    ValueSource value = axis(e.getKey(), e.getValue(), path + ".axes." + e.getKey());
                    if (value != null) {
                        if (combine.equals("zip")) {
                            zipped.put(e.getKey(), value);
                        } else {
                            axes.add(Map.of(e.getKey(), value));
                        }
                    }
                });
                if (!zipped.isEmpty()) {
                    axes.add(zipped);
                }
            } else if (axesNode.isArray()) {
                if (node.has("combine")) {
                    error(path + ".combine", "applies to axes given as a mapping; a list of groups is already a"
                            + " product of groups whose keys are zipped");
                }
                for (int g = 0; g < axesNode.size(); g++) {
                    JsonNode group = axesNode.get(g);
                    String groupPath = path + ".axes[" + g + "]";
                    if (!group.isObject() || group.isEmpty()) {
                        error(groupPath, "must be a mapping of one or more keys (several keys are zipped)");
                        continue;
                    }
                    Map<String, ValueSource> keys = new LinkedHashMap<>();
                    group.fields().forEachRemaining(e -> {
                        ValueSource value = axis(e.getKey(), e.getValue(), groupPath + "." + e.getKey());
                        if (value != null) {
                            keys.put(e.getKey(), value);
                        }
                    });
                    axes.add(keys);
                }
            } else {
                error(path + ".axes", "must be a mapping of key → values (their product, or zip with combine: zip),"
                        + " or a list of such mappings (a product of groups, the keys of a group zipped)");
            }
        }
        for (int g = 0; g < axes.size(); g++) {
            List<Integer> sizes = axes.get(g).values().stream()
                    .filter(v -> v instanceof ValueSource.Literal).map(v -> ((ValueSource.Literal) v).values().size())
                    .distinct().toList();
            if (sizes.size() > 1) {
                error(path + ".axes" + (axesNode != null && axesNode.isArray() ? "[" + g + "]" : ""),
                        "zipped keys " + axes.get(g).keySet() + " have lists of different lengths " + sizes);
            }
        }
        LoadSpec load = node.has("load") ? load(node.get("load"), path + ".load") : null;
        Integer replications = node.has("replications") ? positiveInt(node.get("replications"), path + ".replications", 1)
                : null;
        Boolean capacity = null;
        if (node.has("capacity")) {
            if (node.get("capacity").isBoolean()) {
                capacity = node.get("capacity").asBoolean();
            } else {
                error(path + ".capacity", "must be true or false (measure the capacity of this step's configurations with"
                        + " the plan's capacity: settings)");
            }
        }
        List<StepSpec.Arm> arms = new ArrayList<>();
        if (node.has("arms")) {
            arms(node.get("arms"), path + ".arms", List.of(), "", new LinkedHashMap<>(), arms);
        }
        String file = text(node, "file", path + ".file", null);
        if (file != null && !file.matches("[A-Za-z0-9_.-]+\\.csv")) {
            error(path + ".file", "must be a file name ending in .csv (letters, digits, '_', '-', '.'), got '" + file
                    + "'");
        }
        return new StepSpec(name, id, label, set, axes, load, replications, capacity, arms, file);
    }

    /**
     * Named arms: a list of {name, label, set, arms}; nested arms are flattened into {@code out}, with the names of
     * their path, labels joined by {@code : }, settings merged (the inner arm's win).
     */
    private void arms(JsonNode node, String path, List<String> namePrefix, String labelPrefix,
                      Map<String, JsonNode> inherited, List<StepSpec.Arm> out) {
        if (!node.isArray() || node.isEmpty()) {
            error(path, "must be a non-empty list of arms ({name, label, set, arms})");
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode arm = node.get(i);
            String armPath = path + "[" + i + "]";
            if (!arm.isObject()) {
                error(armPath, "must be a mapping (name, label, set, arms)");
                continue;
            }
            unknownKeys(arm, ARM, armPath + ".");
            String armName = text(arm, "name", armPath + ".name", null);
            if (armName == null || !armName.matches("[A-Za-z0-9_.-]*")) {
                error(armPath + ".name", "is required: letters, digits, '_', '-' or '.' (the arm's part of cell ids)");
                continue;
            }
            String armLabel = text(arm, "label", armPath + ".label", armName);
            Map<String, JsonNode> settings = new LinkedHashMap<>(inherited);
            JsonNode set = arm.get("set");
            if (set != null && !set.isObject()) {
                error(armPath + ".set", "must be a mapping of dotted key → value");
            } else if (set != null) {
                set.fields().forEachRemaining(e -> {
                    checkKey(e.getKey(), armPath + ".set." + e.getKey());
                    settings.put(e.getKey(), e.getValue());
                });
            }
            List<String> names = new ArrayList<>(namePrefix);
            names.add(armName);
            String joinedLabel = labelPrefix.isEmpty() ? armLabel : armLabel.isEmpty() ? labelPrefix
                    : labelPrefix + ": " + armLabel;
            if (arm.has("arms")) {
                arms(arm.get("arms"), armPath + ".arms", names, joinedLabel, settings, out);
            } else {
                out.add(new StepSpec.Arm(names, joinedLabel, settings));
            }
        }
    }


    private ValueSource axis(String key, JsonNode value, String path) {
        checkKey(key, path);
        ValueSource source = valueSource(value, path, false);
        if (source instanceof ValueSource.Literal literal && literal.values().isEmpty()) {
            error(path, "must not be empty");
        }
        return source;
    }

    private void checkKey(String key, String path) {
        String section = key.split("\\.", -1)[0];
        if (!key.equals(GPUS) && !SCENARIO_SECTIONS.contains(section)) {
            error(path, "'" + key + "' is neither gpus nor a dotted key of a scenario section ("
                    + String.join(", ", new java.util.TreeSet<>(SCENARIO_SECTIONS)) + ")");
        } else if (List.of(key.split("\\.", -1)).contains("")) {
            error(path, "the key '" + key + "' has an empty part");
        }
    }

    /**
     * A list (the values), a scalar or a section mapping (one value), a range {@code {from, to, step}} or
     * {@code {from, to, factor}}, a ladder {@code {ladder: NAME, pick: all|largest}} or a derived value
     * {@code {derived: RULE, from: STEP}}.
     */
    private ValueSource valueSource(JsonNode node, String path, boolean single) {
        if (node == null || node.isNull()) {
            error(path, "has no value");
            return null;
        }
        if (node.isArray()) {
            List<JsonNode> values = new ArrayList<>();
            node.forEach(values::add);
            return new ValueSource.Literal(values);
        }
        if (node.isObject() && node.has("ladder")) {
            unknownKeys(node, Set.of("ladder", "pick"), path + ".");
            String pick = node.has("pick") ? node.get("pick").asText() : "all";
            if (!pick.equals("all") && !pick.equals("largest")) {
                error(path + ".pick", "must be all or largest, got '" + pick + "'");
            }
            return new ValueSource.Ladder(node.get("ladder").asText(), pick.equals("largest"));
        }
        if (node.isObject() && node.has("derived")) {
            unknownKeys(node, Set.of("derived", "from"), path + ".");
            DerivedRule rule = DerivedRule.of(node.get("derived").asText());
            if (rule == null) {
                error(path + ".derived", "unknown rule '" + node.get("derived").asText() + "'; known: " + DerivedRule.names());
                return null;
            }
            if (!node.has("from") || !node.get("from").isTextual()) {
                error(path + ".from", "must name the earlier step whose rows the value is derived from");
                return null;
            }
            return new ValueSource.Derived(rule, node.get("from").asText());
        }
        if (node.isObject() && node.has("from") && node.has("to")) {
            return range(node, path);
        }
        return new ValueSource.Literal(List.of(node));
    }

    private ValueSource range(JsonNode node, String path) {
        unknownKeys(node, Set.of("from", "to", "step", "factor"), path + ".");
        if (!node.get("from").isNumber() || !node.get("to").isNumber()) {
            error(path, "a range needs numbers from and to");
            return null;
        }
        boolean additive = node.has("step");
        if (additive == node.has("factor")) {
            error(path, "a range needs exactly one of step (from, from + step, ... up to to) or factor (from,"
                    + " from · factor, ... up to to)");
            return null;
        }
        double from = node.get("from").asDouble();
        double to = node.get("to").asDouble();
        double by = node.get(additive ? "step" : "factor").asDouble();
        if (additive ? !(by > 0) : !(by > 1) || !(from > 0)) {
            error(path + (additive ? ".step" : ".factor"), additive ? "must be > 0" : "must be > 1 (and from > 0)");
            return null;
        }
        if (to < from) {
            error(path + ".to", "must be >= from");
            return null;
        }
        boolean integral = node.get("from").isIntegralNumber() && node.get(additive ? "step" : "factor").isIntegralNumber();
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; ; i++) {
            double value = additive ? from + i * by : from * Math.pow(by, i);
            if (value > to * (1 + 1e-12) || values.size() > 100_000) {
                break;
            }
            values.add(integral ? JsonNodeFactory.instance.numberNode(Math.round(value))
                    : JsonNodeFactory.instance.numberNode(Math.round(value * 1e9) / 1e9));
        }
        return new ValueSource.Literal(values);
    }

    private LoadSpec load(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be {scale: X or [..]}, {rps: X or [..]} or {relative_to: capacity, values: [..]}");
            return null;
        }
        if (node.has("relative_to")) {
            unknownKeys(node, Set.of("relative_to", "values"), path + ".");
            if (!"capacity".equals(node.get("relative_to").asText())) {
                error(path + ".relative_to", "must be capacity (the capacity under the SLA of each configuration)");
            }
            return new LoadSpec(LoadSpec.Kind.RELATIVE_TO_CAPACITY, positives(node.get("values"), path + ".values"));
        }
        unknownKeys(node, Set.of("scale", "rps"), path + ".");
        if (node.has("scale") == node.has("rps")) {
            error(path, "must give exactly one of scale (a multiplier of the workload's rates), rps (req/s) or"
                    + " relative_to: capacity with values");
            return null;
        }
        boolean scale = node.has("scale");
        return new LoadSpec(scale ? LoadSpec.Kind.SCALE : LoadSpec.Kind.RPS,
                positives(node.get(scale ? "scale" : "rps"), path + (scale ? ".scale" : ".rps")));
    }

    private List<Double> positives(JsonNode node, String path) {
        List<Double> values = new ArrayList<>();
        if (node == null) {
            error(path, "is required");
            return values;
        }
        ValueSource source = valueSource(node, path, false);
        if (!(source instanceof ValueSource.Literal literal)) {
            error(path, "must be a number, a list of numbers or a range");
            return values;
        }
        for (JsonNode value : literal.values()) {
            if (!value.isNumber() || !(value.asDouble() > 0) || Double.isInfinite(value.asDouble())) {
                error(path, "must hold numbers > 0, got " + value);
            } else {
                values.add(value.asDouble());
            }
        }
        if (literal.values().isEmpty()) {
            error(path, "must not be empty");
        }
        return values;
    }

    private CapacitySpec capacity(JsonNode node) {
        if (node == null || node.isNull() || node.isBoolean() && !node.asBoolean()) {
            return null;
        }
        if (node.isBoolean()) {
            return CapacitySpec.defaults();
        }
        ObjectNode options = node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (options != null) {
            options.remove(CAPACITY_START);
        }
        try {
            return ConfigMapper.convert(options != null ? options : node, CapacitySpec.class, "capacity");
        } catch (ConfigException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    private List<OverrideRule> rules(JsonNode node) {
        List<OverrideRule> rules = new ArrayList<>();
        if (node == null) {
            return rules;
        }
        if (!node.isArray()) {
            error("rules", "must be a list of {when: {key: value}, set: {key: value}}");
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String path = "rules[" + i + "]";
            if (!rule.isObject() || !rule.path("when").isObject() || !rule.path("set").isObject()) {
                error(path, "must be {when: {key: value, ...}, set: {key: value, ...}}");
                continue;
            }
            unknownKeys(rule, Set.of("when", "set"), path + ".");
            Map<String, JsonNode> when = new LinkedHashMap<>();
            Map<String, JsonNode> set = new LinkedHashMap<>();
            rule.get("when").fields().forEachRemaining(e -> {
                checkKey(e.getKey(), path + ".when." + e.getKey());
                when.put(e.getKey(), e.getValue());
            });
            rule.get("set").fields().forEachRemaining(e -> {
                checkKey(e.getKey(), path + ".set." + e.getKey());
                set.put(e.getKey(), e.getValue());
            });
            rules.add(new OverrideRule(when, set));
        }
        return rules;
    }

    private String text(JsonNode node, String key, String path, String defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isTextual() && !value.isNumber()) {
            error(path, "must be text, got " + value);
            return defaultValue;
        }
        return value.asText();
    }

    private int positiveInt(JsonNode node, String path, int defaultValue) {
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || node.asInt() < 1) {
            error(path, "must be an integer >= 1, got " + node);
            return defaultValue;
        }
        return node.asInt();
    }

    private void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                error(prefix + name, "unknown key; known keys here: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        });
    }

    private void error(String path, String message) {
        errors.add(path + ": " + message);
    }
}
