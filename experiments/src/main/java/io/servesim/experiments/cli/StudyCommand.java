package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.servesim.experiments.planfile.BundledPlans;
import io.servesim.experiments.planfile.OverrideRule;
import io.servesim.experiments.planfile.PlanFile;
import io.servesim.experiments.scenario.ConfigOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code servesim study NAME}: runs the bundled plan file {@code NAME} ({@code servesim plan show NAME} prints it)
 * with the study's flags: {@code --requests} resizes every cell's workload and {@code --rps-scale} multiplies every
 * cell's arrival rate (the plan's {@code rps_factor}); {@code --model} and {@code --workload} set the base
 * scenario's, and are refused by a study whose configurations set their own. The study's tables (its plan's
 * {@code analysis:} list) are printed and written after the run.
 */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a study (a bundled plan file: servesim plan show NAME) and print its comparison table.")
public final class StudyCommand implements Callable<Integer> {
    /** The bundled plans that are studies. */
    static final List<String> STUDIES = List.of("heavy", "schedulers", "parallelism", "prefix", "moe",
            "disaggregation");

    @Spec
    CommandSpec spec;

    @Mixin
    FigureFlags figures;

    @Parameters(index = "0", paramLabel = "NAME", description = "The study: ${COMPLETION-CANDIDATES}.",
            completionCandidates = StudyNames.class)
    String name;

    @Option(names = "--workload", paramLabel = "PRESET|FILE", description = "Workload preset or file (default: the study's).")
    String workload;

    @Option(names = "--rps-scale", paramLabel = "X", description = "Multiplies every arrival rate of the study (default: 1).")
    Double rpsScale;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per run (default: the study's).")
    Long requests;

    @Option(names = "--model", paramLabel = "NAME", description = "Catalog model (default: the study's or the config's).")
    String model;

    @Mixin
    PlanOptions options;

    /** The study names, for the help text. */
    static final class StudyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return STUDIES.iterator();
        }
    }

    @Override
    public Integer call() {
        if (!STUDIES.contains(name)) {
            throw new UserInputException("unknown study '" + name + "'; studies: " + String.join(", ", STUDIES));
        }
        options.check();
        figures.options();
        if (requests != null && requests < 1) {
            throw new UserInputException("--requests must be >= 1, got " + requests);
        }
        if (rpsScale != null && !(rpsScale > 0 && Double.isFinite(rpsScale))) {
            throw new UserInputException("--rps-scale must be > 0, got " + rpsScale);
        }
        PlanFile plan = BundledPlans.load(name);
        refuseWhereVaried(plan, "--model", model, "deployment.model", "model", "");
        refuseWhereVaried(plan, "--workload", workload, "workload", "workload",
                "; give --requests to resize them");
        ObjectNode base = plan.base().deepCopy();
        if (options.config != null) {
            PlanOptions.scenarioSections(options.config).fields().forEachRemaining(e -> base.set(e.getKey(), e.getValue()));
        }
        ConfigOverrides.apply(base, options.overrides);
        if (model != null) {
            base.with("deployment").put("model", model);
        }
        if (workload != null) {
            base.put("workload", workload);
        }
        plan = plan.withBase(base);
        Map<String, com.fasterxml.jackson.databind.JsonNode> everyCell = new LinkedHashMap<>();
        if (requests != null) {
            everyCell.put("workload.requests", JsonNodeFactory.instance.numberNode(requests));
        }
        if (!everyCell.isEmpty()) {
            plan = plan.withRule(new OverrideRule(Map.of(), everyCell));
        }
        if (rpsScale != null) {
            plan = plan.withRpsFactor(rpsScale);
        }
        if (options.seed != null) {
            plan = plan.withSeed(options.seed);
        }
        if (options.replications != null) {
            plan = plan.withReplications(options.replications);
        }
        return PlanLaunch.run(spec, plan, Set.of(), options, figures, "ServeSim study " + name,
                "ServeSim study " + name + ": " + plan.description(), new LinkedHashMap<>());
    }

    /** A flag that sets the base's {@code key} is refused when the study sets it per configuration. */
    private static void refuseWhereVaried(PlanFile plan, String flag, Object value, String key, String what,
                                          String hint) {
        if (value != null && plan.varies(key)) {
            throw new UserInputException(flag + ": the " + plan.name() + " study chooses each scenario's " + what
                    + " itself (its plan sets " + key + " per configuration: servesim plan show " + plan.name() + ")"
                    + hint);
        }
    }
}
