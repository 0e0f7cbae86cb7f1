package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.experiments.planfile.BundledPlans;
import io.servesim.experiments.planfile.PlanFile;
import io.servesim.experiments.scenario.ConfigOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code servesim plan run|show|list}: experiments as plan files (docs/experiments.md). */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Run a plan file, or print or list the bundled plans. See docs/experiments.md.",
        subcommands = {PlanCommand.Run.class, PlanCommand.Show.class, PlanCommand.ListPlans.class})
public final class PlanCommand {

    /** {@code servesim plan run FILE|NAME}. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run a plan file (or a bundled plan by name) into a results folder.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        FigureFlags figures;

        @Parameters(index = "0", paramLabel = "FILE|NAME", description = "A plan file, or the name of a bundled plan.")
        String plan;

        @Option(names = "--step", paramLabel = "NAME", description = "Run only this step (repeatable); a value it derives"
                + " from a step not run is read from that step's file in the folder (--resume DIR).")
        List<String> steps = new ArrayList<>();

        @Option(names = "--cap", paramLabel = "LADDER=N", description = "Cap a ladder of the plan: its values below N,"
                + " then N (e.g. --cap requests=10000; repeatable).")
        List<String> caps = new ArrayList<>();

        @Mixin
        PlanOptions options;

        @Override
        public Integer call() {
            options.check();
            figures.options();
            PlanFile file = BundledPlans.resolve(plan);
            ObjectNode base = file.base().deepCopy();
            if (options.config != null) {
                PlanOptions.scenarioSections(options.config).fields().forEachRemaining(e -> base.set(e.getKey(), e.getValue()));
            }
            ConfigOverrides.apply(base, options.overrides);
            file = file.withBase(base);
            for (String cap : caps) {
                int eq = cap.indexOf('=');
                long value;
                try {
                    value = Long.parseLong(cap.substring(eq + 1).trim());
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    throw new UserInputException("--cap expects LADDER=N with a count N >= 1, e.g. --cap requests=10000,"
                            + " got '" + cap + "'");
                }
                if (eq <= 0 || value < 1) {
                    throw new UserInputException("--cap expects LADDER=N with a count N >= 1, e.g. --cap requests=10000,"
                            + " got '" + cap + "'");
                }
                file = file.withCap(cap.substring(0, eq).trim(), value);
            }
            if (options.seed != null) {
                file = file.withSeed(options.seed);
            }
            if (options.replications != null) {
                file = file.withReplications(options.replications);
            }
            return PlanLaunch.run(spec, file, new LinkedHashSet<>(steps), options, figures, "ServeSim plan " + file.name(),
                    "ServeSim plan " + file.name() + ": " + file.description(), new LinkedHashMap<>());
        }
    }

    /** {@code servesim plan show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a bundled plan file, to copy and edit (servesim plan show stress > my-plan.yaml).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "A bundled plan (servesim plan list).")
        String name;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(BundledPlans.text(name));
            return 0;
        }
    }

    /** {@code servesim plan list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the bundled plans.")
    static final class ListPlans implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            for (String name : BundledPlans.names()) {
                spec.commandLine().getOut().printf("  %-16s %s%n", name, BundledPlans.description(name));
            }
            return 0;
        }
    }
}
