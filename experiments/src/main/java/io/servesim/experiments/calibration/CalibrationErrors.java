package io.servesim.experiments.calibration;

import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The error of a GPU's coefficients on measured rows, per (table, phase): the number of rows, the median and 90th
 * percentile of |predicted − measured| / measured, and the mean signed error (positive: the model is too slow).
 *
 * @param role   {@code fit} or {@code held-out}
 * @param table  the table
 * @param phase  what was measured
 * @param rows   rows compared
 * @param median median absolute relative error
 * @param p90    90th percentile of the absolute relative error
 * @param bias   mean signed relative error
 * @param predictedMeanSeconds mean of the predictions, seconds
 * @param measuredMeanSeconds  mean of the measurements, seconds
 */
public record CalibrationErrors(String role, String table, String phase, int rows, double median, double p90,
                                double bias, double predictedMeanSeconds, double measuredMeanSeconds) {

    /** One line per (table, phase) of {@code measured}, in first-seen order. */
    public static List<CalibrationErrors> of(String role, GpuSpec gpu, List<MeasuredRow> measured) {
        Map<ReplicaSetupKey, RooflineStepTimeModel> models = new HashMap<>();
        Map<String, List<double[]>> pairs = new LinkedHashMap<>();
        for (MeasuredRow row : measured) {
            double predicted = row.prediction().applyAsDouble(
                    models.computeIfAbsent(row.setup(), s -> s.stepTimeModel(gpu)));
            pairs.computeIfAbsent(row.table() + "\u0000" + row.phase(), k -> new ArrayList<>())
                    .add(new double[] {predicted, row.measuredSeconds()});
        }
        List<CalibrationErrors> lines = new ArrayList<>();
        pairs.forEach((key, list) -> {
            String[] parts = key.split("\u0000");
            lines.add(summarise(role, parts[0], parts[1], list));
        });
        return lines;
    }

    /** Phases that time a whole iteration or request, which a summary of a calibration quotes. */
    private static final Set<String> WHOLE = Set.of("iteration", "prompt", "token", "prefill iteration",
            "decode iteration");

    /**
     * One line on the error of {@code gpu} over {@code heldOut}, pooled per phase over its tables and limited to whole
     * iterations and requests (per-operator phases are in the full report), e.g. "held-out median |error| (p90):
     * iteration 4.3 % (9.7 %), 6144 rows; token 42.1 % (60.0 %), 420 rows"; null without held-out rows.
     */
    public static String summary(GpuSpec gpu, List<MeasuredRow> heldOut) {
        List<MeasuredRow> pooled = heldOut.stream().filter(r -> WHOLE.contains(r.phase()))
                .map(r -> new MeasuredRow("all", r.phase(), r.shape(), r.setup(), r.measuredSeconds(), r.prediction())).toList();
        if (pooled.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("held-out median |error| (p90):");
        String separator = " ";
        for (CalibrationErrors e : of("held-out", gpu, pooled)) {
            text.append(String.format(Locale.ROOT, "%s%s %.1f %% (%.1f %%), %d rows", separator, e.phase(),
                    100 * e.median(), 100 * e.p90(), e.rows()));
            separator = "; ";
        }
        return text.toString();
    }

    /** The statistics of (predicted, measured) pairs. */
    private static CalibrationErrors summarise(String role, String table, String phase, List<double[]> pairs) {
        double[] abs = new double[pairs.size()];
        double bias = 0;
        double predicted = 0;
        double measured = 0;
        for (int i = 0; i < abs.length; i++) {
            double[] p = pairs.get(i);
            double e = (p[0] - p[1]) / p[1];
            abs[i] = Math.abs(e);
            bias += e;
            predicted += p[0];
            measured += p[1];
        }
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        int n = abs.length;
        return new CalibrationErrors(role, table, phase, n, percentile.evaluate(abs, 50), percentile.evaluate(abs, 90),
                bias / n, predicted / n, measured / n);
    }
}
