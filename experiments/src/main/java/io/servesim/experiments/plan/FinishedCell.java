package io.servesim.experiments.plan;

/**
 * A cell and its record, either simulated now or taken from the folder of an earlier run.
 *
 * @param cell       the cell
 * @param record     its result row and timing
 * @param fromRecord true when the record was already in the folder (resumed, not simulated)
 */
public record FinishedCell(Cell cell, CellRecord record, boolean fromRecord) {
    public ResultRow row() {
        return record.resultRow();
    }
}
