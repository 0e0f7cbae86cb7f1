package io.servesim.experiments.plan;

/**
 * A cell and its record, either simulated now or taken from the folder of an earlier run, with the capacity
 * search of its configuration when the plan measures capacity.
 *
 * @param cell       the cell
 * @param record     its result row and timing
 * @param fromRecord true when the record was already in the folder (resumed, not simulated)
 * @param capacity   the record of its configuration's capacity search, or null without {@code --capacity}
 */
public record FinishedCell(Cell cell, CellRecord record, boolean fromRecord, CapacityRecord capacity) {
    public FinishedCell(Cell cell, CellRecord record, boolean fromRecord) {
        this(cell, record, fromRecord, null);
    }

    /** The same cell with its configuration's capacity. */
    FinishedCell withCapacity(CapacityRecord search) {
        return new FinishedCell(cell, record, fromRecord, search);
    }

    /**
     * The same cell with empty capacity columns: a step of a plan that measures capacity elsewhere but not for this
     * step's configurations (empty is "not measured", as NaN is in every results file).
     */
    public FinishedCell withoutCapacity() {
        return new FinishedCell(cell, record, fromRecord, CapacityRecord.NOT_MEASURED);
    }

    /** The result row: the cell's record, followed by the capacity columns when measured. */
    public ResultRow row() {
        return capacity == null ? record.resultRow() : capacity.appendTo(record.resultRow());
    }
}
