package io.servesim.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Measured values y(u, x) on lines: for each value of the outer coordinate u, a sorted set of points in x. A value
 * between points is interpolated linearly in x on the two lines that bracket u, then linearly in u. The
 * extrapolation rule, in each coordinate: below the smallest point the value stays at that point's (flat);
 * above the largest it continues the last segment's slope, never dropping below the last point's value; a
 * line of one point is flat. Evaluation allocates nothing.
 */
final class InterpolationTable {
    private final double[] outer;
    private final double[][] xs;
    private final double[][] ys;

    /** One measured value. */
    record Sample(double outer, double x, double y) {
    }

    InterpolationTable(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("an interpolation table needs at least one sample");
        }
        TreeMap<Double, TreeMap<Double, Double>> lines = new TreeMap<>();
        for (Sample s : samples) {
            lines.computeIfAbsent(s.outer(), k -> new TreeMap<>()).put(s.x(), s.y());
        }
        outer = new double[lines.size()];
        xs = new double[lines.size()][];
        ys = new double[lines.size()][];
        int i = 0;
        for (var line : lines.entrySet()) {
            outer[i] = line.getKey();
            List<Double> x = new ArrayList<>(line.getValue().keySet());
            xs[i] = x.stream().mapToDouble(Double::doubleValue).toArray();
            ys[i] = line.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            i++;
        }
    }

    /** y at (u, x) by the rules above. */
    double value(double u, double x) {
        int n = outer.length;
        if (n == 1 || u <= outer[0]) {
            return onLine(0, x);
        }
        int hi = upperIndex(outer, u);
        int lo = hi - 1;
        double yLo = onLine(lo, x);
        double yHi = onLine(hi, x);
        return blend(outer[lo], yLo, outer[hi], yHi, u, hi == n - 1 && u > outer[n - 1]);
    }

    private double onLine(int line, double x) {
        double[] px = xs[line];
        double[] py = ys[line];
        int n = px.length;
        if (n == 1 || x <= px[0]) {
            return py[0];
        }
        int hi = upperIndex(px, x);
        return blend(px[hi - 1], py[hi - 1], px[hi], py[hi], x, hi == n - 1 && x > px[n - 1]);
    }

    /** Index of the first point at or above v, or the last index when v is beyond the last point; ≥ 1. */
    private static int upperIndex(double[] points, double v) {
        int i = Arrays.binarySearch(points, v);
        int insertion = i >= 0 ? i : -i - 1;
        return Math.max(1, Math.min(points.length - 1, insertion));
    }

    private static double blend(double x0, double y0, double x1, double y1, double x, boolean beyond) {
        double y = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        return beyond ? Math.max(y, y1) : y;
    }
}
