package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;

import java.util.List;
import java.util.Map;

/**
 * A {@link PlanFile} in the plan-file format, flags applied: what {@code config.json} records under {@code plan}, so
 * that the plan a folder ran can be saved as a file and run again exactly ({@link PlanFileReader} reads it back).
 */
public final class PlanFileWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlanFileWriter() {
    }

    /** The plan as a tree of the plan-file format. */
    public static ObjectNode tree(PlanFile plan) {
        ObjectNode root = NODES.objectNode();
        root.put("name", plan.name());
        root.put("description", plan.description());
        root.put("experiment", plan.experiment());
        root.put("file_prefix", plan.filePrefix());
        root.set("base", plan.base().deepCopy());
        root.put("seed", plan.seed());
        root.put("replications", plan.replications());
        ObjectNode ladders = root.putObject("ladders");
        plan.ladders().forEach((name, values) -> ladders.set(name, NODES.arrayNode().addAll(values)));
        if (plan.load() != null) {
            root.set("load", load(plan.load()));
        }
        if (plan.capacity() != null) {
            ObjectNode capacity = ConfigMapper.json().valueToTree(plan.capacity());
            if (plan.capacityStartScale() != null) {
                capacity.put("start_rps_scale", plan.capacityStartScale());
            }
            root.set("capacity", capacity);
        }
        ArrayNode rules = root.putArray("rules");
        for (OverrideRule rule : plan.rules()) {
            ObjectNode node = rules.addObject();
            ObjectNode when = node.putObject("when");
            rule.when().forEach(when::set);
            ObjectNode set = node.putObject("set");
            rule.set().forEach(set::set);
        }
        ArrayNode steps = root.putArray("steps");
        for (StepSpec step : plan.steps()) {
            ObjectNode node = steps.addObject();
            node.put("name", step.name());
            if (step.idTemplate() != null) {
                node.put("id", step.idTemplate());
            }
            if (step.labelTemplate() != null) {
                node.put("label", step.labelTemplate());
            }
            if (!step.set().isEmpty()) {
                node.set("set", values(step.set(), true));
            }
            ArrayNode axes = node.putArray("axes");
            step.axes().forEach(group -> axes.add(values(group, false)));
            if (step.load() != null) {
                node.set("load", load(step.load()));
            }
            if (step.replications() != null) {
                node.put("replications", step.replications());
            }
            if (step.capacity() != null) {
                node.put("capacity", step.capacity());
            }
            if (!step.arms().isEmpty()) {
                node.set("arms", arms(step.arms(), 0));
            }
            if (step.file() != null) {
                node.put("file", step.file());
            }
        }
        if (plan.analysis().equals(PlanFile.DEFAULT_ANALYSIS) || plan.analysis().isEmpty()) {
            root.put("analysis", !plan.analysis().isEmpty());
        } else {
            ArrayNode analysis = root.putArray("analysis");
            for (AnalysisChoice choice : plan.analysis()) {
                if (choice.options().isEmpty()) {
                    analysis.add(choice.name());
                } else {
                    analysis.addObject().put("name", choice.name()).setAll(choice.options());
                }
            }
        }
        if (plan.skipUnfit()) {
            root.put("unfit", "skip");
        }
        if (plan.rpsFactor() != 1) {
            root.put("rps_factor", plan.rpsFactor());
        }
        return root;
    }

    /**
     * Arms as nested lists again: consecutive arms that share the name at {@code level} are one arm of that name with
     * an empty label, whose inner arms carry the whole label and settings (which reads back to the same arms).
     */
    private static ArrayNode arms(List<StepSpec.Arm> arms, int level) {
        ArrayNode list = NODES.arrayNode();
        int i = 0;
        while (i < arms.size()) {
            StepSpec.Arm arm = arms.get(i);
            ObjectNode node = list.addObject().put("name", arm.path().get(level));
            if (arm.path().size() == level + 1) {
                node.put("label", arm.label());
                arm.set().forEach(node.putObject("set")::set);
                i++;
                continue;
            }
            int end = i;
            while (end < arms.size() && arms.get(end).path().size() > level + 1
                    && arms.get(end).path().subList(0, level + 1).equals(arm.path().subList(0, level + 1))) {
                end++;
            }
            node.put("label", "").set("arms", arms(arms.subList(i, end), level + 1));
            i = end;
        }
        return list;
    }

    private static ObjectNode values(Map<String, ValueSource> values, boolean single) {
        ObjectNode node = NODES.objectNode();
        values.forEach((key, source) -> node.set(key, value(source, single)));
        return node;
    }

    private static JsonNode value(ValueSource source, boolean single) {
        if (source instanceof ValueSource.Literal literal) {
            return single && literal.values().size() == 1 && !literal.values().get(0).isObject()
                    ? literal.values().get(0) : NODES.arrayNode().addAll(literal.values());
        }
        if (source instanceof ValueSource.Ladder ladder) {
            return NODES.objectNode().put("ladder", ladder.name()).put("pick", ladder.largest() ? "largest" : "all");
        }
        ValueSource.Derived derived = (ValueSource.Derived) source;
        return NODES.objectNode().put("derived", derived.rule().key()).put("from", derived.fromStep());
    }

    private static ObjectNode load(LoadSpec load) {
        ObjectNode node = NODES.objectNode();
        ArrayNode values = NODES.arrayNode();
        load.values().forEach(values::add);
        switch (load.kind()) {
            case SCALE -> node.set("scale", values);
            case RPS -> node.set("rps", values);
            case RELATIVE_TO_CAPACITY -> node.put("relative_to", "capacity").set("values", values);
        }
        return node;
    }
}
