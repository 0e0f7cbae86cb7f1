package io.servesim.experiments.validation.replay;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What became of one measured row: replayed, with ServeSim's predictions, or skipped with the reason.
 *
 * @param row             the row as the file gives it
 * @param model           the catalog model it was looked up as (null when unknown)
 * @param gpu             the catalog GPU (null when unknown)
 * @param skipReason      why ServeSim cannot express the row; null when it was replayed
 * @param predicted       every metric the simulation gives, in milliseconds (empty when skipped)
 * @param throughputRps   completed requests per second of the simulated run (NaN when skipped)
 * @param simulatedRequests requests of the simulated run (0 when skipped)
 */
public record RowResult(BenchmarkRow row, String model, String gpu, String skipReason,
                        Map<ServingMetric, Double> predicted, double throughputRps, long simulatedRequests) {

    public RowResult {
        EnumMap<ServingMetric, Double> copy = new EnumMap<>(ServingMetric.class);
        copy.putAll(predicted);
        predicted = Collections.unmodifiableMap(copy);
    }

    public boolean replayed() {
        return skipReason == null;
    }

    /** The signed relative error (predicted − measured) / measured, or NaN when either is missing. */
    public double relativeError(ServingMetric metric) {
        Double measured = row.measured().get(metric);
        Double prediction = predicted.get(metric);
        return measured == null || prediction == null ? Double.NaN : (prediction - measured) / measured;
    }
}
