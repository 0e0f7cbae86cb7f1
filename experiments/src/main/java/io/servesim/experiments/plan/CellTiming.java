package io.servesim.experiments.plan;

import java.util.List;

/**
 * How long a cell took on this machine — the one thing a seed does not fix, so it is kept out of the
 * result rows and written to {@code <prefix>_timings.csv}.
 *
 * @param wallSeconds wall-clock seconds of the run (composition, simulation and summary)
 * @param arrived     requests simulated
 * @param events      engine events
 * @param iterations  engine iterations
 */
public record CellTiming(double wallSeconds, long arrived, long events, long iterations) {
    /** The columns of the timings file. */
    public static final List<String> COLUMNS = List.of("cell_id", "wall_s", "requests_per_wall_s", "events", "iterations");

    /** Requests simulated per wall-clock second. */
    public double requestsPerWallSecond() {
        return wallSeconds > 0 ? arrived / wallSeconds : 0;
    }

    /** The timings row of {@code cellId}, in {@link #COLUMNS} order. */
    public List<String> row(String cellId) {
        return List.of(cellId, ResultRow.text(wallSeconds), ResultRow.text(requestsPerWallSecond()),
                Long.toString(events), Long.toString(iterations));
    }
}
