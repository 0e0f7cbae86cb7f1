package io.servesim.experiments.stress;

import io.servesim.analysis.findings.FindingRules;
import io.servesim.experiments.plan.ResultRow;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU count step 3 runs at, from the rows of step 2 (a GPU-scaling step): the smallest GPU count whose goodput (mean over
 * replications) is within {@link FindingRules#BEST_GPU_TOLERANCE} (5 %) of the best goodput of step 2 — the
 * rule the analysis applies to report the best GPU count. More GPUs than that buy less than 5 % goodput.
 *
 * @param gpus             the chosen GPU count
 * @param goodputRps       its mean goodput
 * @param bestGoodputRps   the best mean goodput of step 2
 * @param bestGoodputGpus  the GPU count of the best goodput
 */
public record BestGpuCount(int gpus, double goodputRps, double bestGoodputRps, int bestGoodputGpus) {
    /** The rule in words, as config.json and the docs state it. */
    public static final String RULE = "smallest GPU count of the step whose mean goodput_rps is within "
            + Math.round(FindingRules.BEST_GPU_TOLERANCE * 100) + " % of its best mean goodput_rps";

    /** Applies the rule to the rows of a GPU-scaling step (e.g. step 2); fails when there are none. */
    public static BestGpuCount of(List<ResultRow> rows) {
        Map<Integer, double[]> sumAndCount = new TreeMap<>();
        for (ResultRow row : rows) {
            double[] acc = sumAndCount.computeIfAbsent((int) row.number("gpus"), g -> new double[2]);
            acc[0] += row.number("goodput_rps");
            acc[1]++;
        }
        if (sumAndCount.isEmpty()) {
            throw new IllegalArgumentException("no rows to choose a GPU count from");
        }
        int bestGpus = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, double[]> e : sumAndCount.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean > best) {
                best = mean;
                bestGpus = e.getKey();
            }
        }
        double threshold = (1.0 - FindingRules.BEST_GPU_TOLERANCE) * best;
        for (Map.Entry<Integer, double[]> e : sumAndCount.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean >= threshold) {
                return new BestGpuCount(e.getKey(), mean, best, bestGpus);
            }
        }
        return new BestGpuCount(bestGpus, best, best, bestGpus);
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d GPUs (goodput %.2f req/s; best %.2f req/s on %d GPUs; rule: %s)",
                gpus, goodputRps, bestGoodputRps, bestGoodputGpus, RULE);
    }
}
