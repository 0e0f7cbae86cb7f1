package io.servesim.experiments.plan;

import io.servesim.experiments.capacity.CapacityProbe;
import io.servesim.experiments.capacity.CapacityResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished capacity search leaves in {@code capacity/<id>.json}: the columns it adds to the rows of its
 * cells, how the search ended, every probe, its wall-clock time, and a fingerprint of what it ran, so that a
 * resumed plan reuses it only for the very same search.
 *
 * @param searchId        the search's id
 * @param fingerprint     SHA-256 of the search's id, label, scenario and options as JSON
 * @param columns         {@link #COLUMNS} → text, as in a result row (NaN, i.e. no passing rate, is empty)
 * @param status          how the search ended ({@link CapacityResult.Status})
 * @param lowestFailingRps lowest failing rate (NaN when every probe passed)
 * @param seed            seed of every probe
 * @param probes          every probe, in the order run
 * @param wallSeconds     wall-clock seconds of the search
 */
public record CapacityRecord(String searchId, String fingerprint, Map<String, String> columns, String status,
                             double lowestFailingRps, long seed, List<CapacityProbe> probes,
                             double wallSeconds) {
    /** The columns a search adds to its cells' rows, after the metrics. */
    public static final List<String> COLUMNS = List.of("capacity_rps_under_sla", "capacity_rps_per_gpu");

    /** The stand-in of a configuration whose capacity a plan does not measure: empty capacity columns. */
    public static final CapacityRecord NOT_MEASURED = new CapacityRecord("", "", Map.of(COLUMNS.get(0), "",
            COLUMNS.get(1), ""), "NOT_MEASURED", Double.NaN, 0, List.of(), 0);

    public CapacityRecord {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        probes = List.copyOf(probes);
    }

    static CapacityRecord of(CapacityCell search, String fingerprint, CapacityResult result, double wallSeconds) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put(COLUMNS.get(0), ResultRow.text(result.capacityRps()));
        columns.put(COLUMNS.get(1), ResultRow.text(result.capacityRpsPerGpu()));
        return new CapacityRecord(search.id(), fingerprint, columns, result.status().name(), result.lowestFailingRps(),
                search.scenario().seed(), result.probes(), wallSeconds);
    }

    /** {@code row} followed by this search's columns. */
    public ResultRow appendTo(ResultRow row) {
        Map<String, String> values = new LinkedHashMap<>(row.values());
        for (String column : COLUMNS) {
            if (values.containsKey(column)) {
                throw new IllegalArgumentException("row " + values.get("cell_id") + " already has " + column);
            }
            values.put(column, columns.get(column));
        }
        return new ResultRow(values);
    }

    /**
     * The timings row of the search, in {@link CellTiming#COLUMNS} order: {@code events} and {@code iterations}
     * are empty (the search does not count them), {@code requests_per_wall_s} counts the requests of every probe.
     */
    List<String> timingRow() {
        double requests = probes.stream().mapToLong(CapacityProbe::arrived).sum();
        List<String> row = new ArrayList<>(CellTiming.COLUMNS.size());
        row.add(searchId);
        row.add(ResultRow.text(wallSeconds));
        row.add(ResultRow.text(wallSeconds > 0 ? requests / wallSeconds : 0.0));
        row.add("");
        row.add("");
        return row;
    }
}
