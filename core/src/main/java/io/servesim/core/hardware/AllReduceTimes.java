package io.servesim.core.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.servesim.core.config.ConfigException;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measured all-reduce times of a GPU type inside one NVLink (NVSwitch) node, for a few group sizes: the catalog's
 * {@code all_reduce} block. Each group size has points (message bytes per GPU, µs) — for the bundled GPUs the fastest
 * of the algorithms the serving engine chooses from at that size, as it dispatches by size. Between points the time
 * is interpolated linearly; below the first point it is the first point's time (the latency floor); above the last it
 * grows with the slope of the last two points (their bandwidth), never below the last point's time
 * ({@code CollectiveCost.measured}). {@code docs/parallelism.md} says where the numbers
 * come from and when the simulator uses them instead of the modelled ring.
 *
 * @param source      where the measurements come from
 * @param worldSizes  group size (GPUs) → points [bytes, µs], bytes strictly increasing
 */
public record AllReduceTimes(String source, @JsonProperty("world_sizes") Map<Integer, double[][]> worldSizes) {

    public AllReduceTimes {
        ConfigException.require(source != null && !source.isBlank(), "all_reduce.source",
                "must say where the measurements come from", source);
        ConfigException.require(worldSizes != null && !worldSizes.isEmpty(), "all_reduce.world_sizes",
                "must map a group size (2, 4, 8, …) to its measured points [[bytes, micros], …]", worldSizes);
        Map<Integer, double[][]> copy = new TreeMap<>();
        for (Map.Entry<Integer, double[][]> entry : worldSizes.entrySet()) {
            String field = "all_reduce.world_sizes." + entry.getKey();
            ConfigException.require(entry.getKey() != null && entry.getKey() >= 2, field,
                    "a group size must be >= 2 GPUs", entry.getKey());
            double[][] points = entry.getValue();
            ConfigException.require(points != null && points.length >= 2, field,
                    "needs at least two measured points [bytes, micros]", points == null ? null : points.length);
            double[][] checked = new double[points.length][];
            for (int i = 0; i < points.length; i++) {
                double[] p = points[i];
                String at = field + "[" + i + "]";
                ConfigException.require(p != null && p.length == 2, at, "must be a pair [bytes, micros]",
                        p == null ? null : Arrays.toString(p));
                ConfigException.require(p[0] > 0 && Double.isFinite(p[0]) && (i == 0 || p[0] > points[i - 1][0]), at,
                        "bytes must be > 0 and strictly increasing", p[0]);
                ConfigException.require(p[1] > 0 && Double.isFinite(p[1]), at, "micros must be > 0", p[1]);
                checked[i] = p.clone();
            }
            copy.put(entry.getKey(), checked);
        }
        worldSizes = Collections.unmodifiableMap(copy);
    }

    /** Equal when the source and every point are equal (a record compares arrays by identity otherwise). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AllReduceTimes that) || !source.equals(that.source)
                || !worldSizes.keySet().equals(that.worldSizes.keySet())) {
            return false;
        }
        return worldSizes.keySet().stream().allMatch(k -> Arrays.deepEquals(worldSizes.get(k), that.worldSizes.get(k)));
    }

    @Override
    public int hashCode() {
        int hash = source.hashCode();
        for (Map.Entry<Integer, double[][]> entry : worldSizes.entrySet()) {
            hash = 31 * (31 * hash + entry.getKey()) + Arrays.deepHashCode(entry.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("AllReduceTimes[source=").append(source);
        worldSizes.forEach((k, v) -> text.append(", ").append(k).append(" GPUs=").append(Arrays.deepToString(v)));
        return text.append(']').toString();
    }

    /** Whether there are measurements for a group of {@code gpus} GPUs. */
    public boolean covers(int gpus) {
        return worldSizes.containsKey(gpus);
    }

    /**
     * The measured points [bytes, µs] of a group of {@code gpus} GPUs, bytes increasing; {@link #covers} must hold.
     * A copy: the step-time model turns it into its curve once ({@code CollectiveCost.measured}).
     */
    public double[][] points(int gpus) {
        double[][] points = worldSizes.get(gpus);
        if (points == null) {
            throw new IllegalArgumentException("no all-reduce measurements for " + gpus + " GPUs in " + source);
        }
        double[][] copy = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            copy[i] = points[i].clone();
        }
        return copy;
    }
}
