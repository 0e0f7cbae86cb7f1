package io.servesim.experiments.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The points no other point beats on both of two criteria: lower {@code cost} and higher {@code value}. A point is on
 * the frontier when no other point has cost ≤ and value ≥ with one of them strict; among exact ties the first in the
 * input is kept. Points whose cost or value is not a number are left out.
 */
public final class ParetoFrontier {
    private ParetoFrontier() {
    }

    /** The frontier of {@code points}, ordered by increasing cost (and so increasing value). */
    public static <T> List<T> of(List<T> points, ToDoubleFunction<T> cost, ToDoubleFunction<T> value) {
        List<T> sorted = new ArrayList<>();
        for (T p : points) {
            if (Double.isFinite(cost.applyAsDouble(p)) && Double.isFinite(value.applyAsDouble(p))) {
                sorted.add(p);
            }
        }
        // Stable sort: by cost up, then value down; the first of equal points stays first.
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(value).reversed()));
        List<T> frontier = new ArrayList<>();
        double bestValue = Double.NEGATIVE_INFINITY;
        for (T p : sorted) {
            if (value.applyAsDouble(p) > bestValue) {
                frontier.add(p);
                bestValue = value.applyAsDouble(p);
            }
        }
        return frontier;
    }
}
