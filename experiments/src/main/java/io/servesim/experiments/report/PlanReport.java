package io.servesim.experiments.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A table a plan file can ask for in its {@code analysis:} list: printed after the run (the comparison
 * {@code servesim study} shows) and, for some, written next to the results. A report reads the finished cells —
 * their rows, labels and scenarios — and its options from the plan file; what it compares is the plan's, not its own.
 */
public interface PlanReport {
    /** The name in {@code analysis:}. */
    String name();

    /** One line on what it prints or writes, for the list of analyses. */
    String description();

    /** The option keys its entry in {@code analysis:} may have (none by default). */
    default Set<String> options() {
        return Set.of();
    }

    /** What is wrong with {@code options} (the option keys are known), each as "key: problem"; empty when nothing. */
    default List<String> check(ObjectNode options) {
        return List.of();
    }

    /**
     * Prints the report and writes its files.
     *
     * @return the files written (none by default)
     */
    List<Path> write(Input input);

    /**
     * What a report reads.
     *
     * @param out        where it prints
     * @param folder     the results folder
     * @param experiment the plan's experiment (file names start with it)
     * @param cells      the finished cells, in plan order
     * @param notRun     the configurations left out and why (the memory arithmetic; printed before the reports)
     * @param options    the options of its entry in {@code analysis:}
     */
    record Input(PrintWriter out, PlanFolder folder, String experiment, List<FinishedCell> cells, List<String> notRun,
                 ObjectNode options) {
        /** The finished cells grouped by configuration, in plan order. */
        public List<ConfigurationMeans> configurations() {
            return ConfigurationMeans.of(cells);
        }

        /**
         * Fails with a one-line message naming the option when one of {@code columns} is not a column of the
         * results (the names are only known once a row exists; the results are written by then).
         */
        public void requireColumns(String option, List<String> columns) {
            List<String> known = cells.isEmpty() ? List.of() : cells.get(0).row().columns();
            for (String column : columns) {
                if (!known.contains(column)) {
                    throw new ConfigException("analysis: " + option + ": '" + column + "' is not a result column"
                            + " (docs/results-schema.md); the results are written, the report is not");
                }
            }
        }
    }
}
