package io.servesim.experiments.study;

import io.servesim.experiments.plan.Cell;

import java.util.List;

/**
 * What a study runs.
 *
 * @param cells the cells, in the order of the results file
 * @param notes configurations that were not run and why (e.g. a model that does not fit, with the memory arithmetic)
 */
public record StudyDesign(List<Cell> cells, List<String> notes) {
    public StudyDesign {
        cells = List.copyOf(cells);
        notes = List.copyOf(notes);
    }
}
