package io.servesim.experiments.study;

import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * A study run by {@code servesim study <name>} on the plan runner: it turns the settings into cells (and notes
 * on configurations it could not run), and prints its comparison table from the finished cells. The command
 * writes {@code <name>_results.csv}, {@code <name>_timings.csv}, {@code config.json} and the analysis. A new study
 * is one class implementing this interface plus its line in {@link Studies}.
 */
public interface Study {
    /** The name on the command line and in the {@code step} and {@code experiment} columns. */
    String name();

    /** One line for the list of studies. */
    String description();

    /** The workload preset (or file) used when neither {@code --workload} nor the config names one. */
    String defaultWorkload();

    /** The cells of the study, and notes on what was left out and why. */
    StudyDesign design(StudySettings settings);

    /** Prints the study's comparison of the finished cells (in design order). */
    void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells);

    /**
     * The capacity searches of the study's configurations (capacity under SLA added to every row), or null (the
     * default) for none.
     */
    default CapacitySearches capacity(StudySettings settings) {
        return null;
    }

    /** Writes the study's own tables besides the results (none by default); returns the files written. */
    default List<Path> writeTables(PlanFolder folder, List<FinishedCell> cells) {
        return List.of();
    }
}
