package io.servesim.experiments.plan;

import io.servesim.core.metrics.GpuUsage;

import java.util.List;
import java.util.Map;

/**
 * What a finished cell leaves in {@code cells/<cell_id>.json}: its result row, timing and per-GPU figures, and a
 * fingerprint of what it ran, so that a resumed plan reuses it only for the very same cell.
 *
 * @param cellId      the cell's id
 * @param fingerprint SHA-256 of the cell's step, label and scenario as JSON (see {@link PlanFolder#fingerprint})
 * @param row         the result row, column → text, in column order
 * @param timing      wall-clock time and engine counters
 * @param gpus        what each GPU did, in GPU order (empty in records written before it was kept)
 */
public record CellRecord(String cellId, String fingerprint, Map<String, String> row, CellTiming timing,
                         List<GpuUsage> gpus) {
    public CellRecord {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public ResultRow resultRow() {
        return new ResultRow(row);
    }
}
