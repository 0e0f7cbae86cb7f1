package io.servesim.core.model;

/**
 * The time of one collective on a fixed GPU group as a function of its message size: a line for a modelled ring or
 * send ({@link TransferCost}), or a measured curve (an all-reduce the catalog GPU has measurements for, see
 * {@code io.servesim.core.hardware.AllReduceTimes}). Implementations do not allocate: the step-time model calls them
 * once per iteration.
 */
@FunctionalInterface
public interface CollectiveCost {

    /** Seconds to run the collective on a message of {@code bytes} (per GPU). */
    double seconds(double bytes);

    /**
     * A measured curve from points [bytes, µs] (bytes increasing), by the rule of the measured step-time tables
     * ({@link InterpolationTable}): linear between points, the first point's time below it, the last segment's slope
     * above the last point and never below that point's time.
     */
    static CollectiveCost measured(double[][] pointsMicros) {
        java.util.List<InterpolationTable.Sample> samples = new java.util.ArrayList<>(pointsMicros.length);
        for (double[] point : pointsMicros) {
            samples.add(new InterpolationTable.Sample(0, point[0], point[1] * 1e-6));
        }
        InterpolationTable table = new InterpolationTable(samples);
        return bytes -> table.value(0, bytes);
    }
}
