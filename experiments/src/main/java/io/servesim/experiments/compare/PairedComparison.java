package io.servesim.experiments.compare;

import io.servesim.analysis.findings.Estimate;
import io.servesim.analysis.findings.ReplicationStatistics;
import io.servesim.experiments.plan.FinishedCell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Paired differences between the arms of a comparison. Replication r of every arm serves the same requests (common
 * random numbers), so for arms A and B and a metric the differences d_r = A_r − B_r pair up by replication; their
 * mean and 95 % Student-t interval {@code d̄ ± t(0.975, n−1) · s_d / √n} ({@link ReplicationStatistics#estimate})
 * carry only the noise the arms do not share. A difference is significant when its interval excludes 0; with
 * s_d = 0 the interval is the point d̄, significant unless d̄ = 0 (the arms did exactly the same).
 *
 * <p>Metrics come in the order a reader needs them: goodput and SLA attainment first, then latencies.
 */
public final class PairedComparison {
    /**
     * A compared metric.
     *
     * @param column         its results column
     * @param name           for people
     * @param unit           of the column's values
     * @param scale          factor from the column to the printed unit (100 for a fraction printed in %)
     * @param higherIsBetter whether more is better (goodput) or less (latency)
     */
    public record Metric(String column, String name, String unit, double scale, boolean higherIsBetter) {
    }

    /** Goodput and SLA attainment, then latency percentiles. */
    public static final List<Metric> METRICS = List.of(
            new Metric("goodput_rps", "goodput", "req/s", 1, true),
            new Metric("goodput_fraction", "SLA attainment", "percentage points", 100, true),
            new Metric("ttft_p50_s", "p50 TTFT", "s", 1, false),
            new Metric("ttft_p99_s", "p99 TTFT", "s", 1, false),
            new Metric("tpot_p50_s", "p50 TPOT", "s", 1, false),
            new Metric("tpot_p99_s", "p99 TPOT", "s", 1, false),
            new Metric("e2e_p50_s", "p50 E2E latency", "s", 1, false),
            new Metric("e2e_p99_s", "p99 E2E latency", "s", 1, false));

    /**
     * The paired difference A − B of one metric, in the printed unit.
     *
     * @param armA       first arm
     * @param armB       second arm
     * @param metric     the metric
     * @param meanA      A's mean over replications
     * @param meanB      B's mean over replications
     * @param difference mean and 95 % interval of A_r − B_r (no interval with one pair)
     */
    public record Difference(String armA, String armB, Metric metric, double meanA, double meanB, Estimate difference) {
        /** Whether the interval excludes 0. */
        public boolean significant() {
            return difference.hasInterval() && (difference.ciLow() > 0 || difference.ciHigh() < 0);
        }

        /** Half the width of the interval. */
        public double halfWidth() {
            return (difference.ciHigh() - difference.ciLow()) / 2;
        }

        /** The better arm when the difference is significant, otherwise null. */
        public String better() {
            if (!significant()) {
                return null;
            }
            return (difference.mean() > 0) == metric.higherIsBetter() ? armA : armB;
        }

        /**
         * "continuous beats dynamic on goodput by 1.25 ± 0.08 req/s (95 % CI)", or "continuous vs dynamic: no
         * significant difference in goodput (0 ± 0 req/s, 95 % CI)".
         */
        public String verdict() {
            String by = String.format(Locale.ROOT, "%s ± %s %s (95 %% CI)", number(Math.abs(difference.mean())),
                    number(halfWidth()), metric.unit());
            if (!significant()) {
                return String.format(Locale.ROOT, "%s vs %s: no significant difference in %s (%s%s ± %s %s, 95 %% CI)",
                        armA, armB, metric.name(), difference.mean() < 0 ? "-" : "", number(Math.abs(difference.mean())),
                        number(halfWidth()), metric.unit());
            }
            String winner = better();
            String loser = winner.equals(armA) ? armB : armA;
            String verb = metric.higherIsBetter() ? "beats" : "is faster than";
            return winner + " " + verb + " " + loser + " on " + metric.name() + " by " + by;
        }
    }

    private PairedComparison() {
    }

    /**
     * The paired differences of every metric for every pair of arms (A before B in arm order), metric by metric.
     * {@code cells} are the finished cells; a cell's arm is its label.
     */
    public static List<Difference> of(List<String> arms, List<FinishedCell> cells) {
        Map<String, Map<Integer, FinishedCell>> byArm = new LinkedHashMap<>();
        for (FinishedCell cell : cells) {
            byArm.computeIfAbsent(cell.cell().label(), a -> new LinkedHashMap<>()).put(cell.cell().replication(), cell);
        }
        List<Difference> differences = new ArrayList<>();
        for (Metric metric : METRICS) {
            for (int i = 0; i < arms.size(); i++) {
                for (int j = i + 1; j < arms.size(); j++) {
                    differences.add(difference(arms.get(i), arms.get(j), metric, byArm.get(arms.get(i)),
                            byArm.get(arms.get(j))));
                }
            }
        }
        return differences;
    }

    private static Difference difference(String armA, String armB, Metric metric, Map<Integer, FinishedCell> a,
                                         Map<Integer, FinishedCell> b) {
        List<Double> as = new ArrayList<>();
        List<Double> bs = new ArrayList<>();
        for (Map.Entry<Integer, FinishedCell> entry : a.entrySet()) {
            FinishedCell other = b.get(entry.getKey());
            if (other == null) {
                continue;
            }
            double va = metric.scale() * entry.getValue().row().number(metric.column());
            double vb = metric.scale() * other.row().number(metric.column());
            if (Double.isFinite(va) && Double.isFinite(vb)) {
                as.add(va);
                bs.add(vb);
            }
        }
        double[] differences = new double[as.size()];
        for (int r = 0; r < differences.length; r++) {
            differences[r] = as.get(r) - bs.get(r);
        }
        Estimate estimate = ReplicationStatistics.estimate(differences);
        if (estimate == null) {
            estimate = new Estimate(Double.NaN, Double.NaN, 1, null, null);
        }
        return new Difference(armA, armB, metric, mean(as), mean(bs), estimate);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Three significant digits, no exponent for everyday magnitudes. */
    public static String number(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : String.valueOf(value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
