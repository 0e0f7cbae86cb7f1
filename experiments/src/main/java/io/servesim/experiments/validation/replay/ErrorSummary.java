package io.servesim.experiments.validation.replay;

import io.servesim.core.metrics.Percentiles;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The error of the replayed rows per metric, overall and per group: how many rows measured the metric, the mean
 * absolute percentage error (MAPE), the median and 90th percentile of the absolute percentage errors (linear
 * interpolation between ranks, as NumPy's default) and the median signed error (the bias: negative when the
 * prediction is too low). Percentages are fractions here (0.12 = 12 %). Rows that the coefficients in use were
 * fitted on are kept out of every group but their own, so the groups report held-out errors only.
 *
 * @param groups one entry per group, in order: {@code all} (every held-out row), then {@link #TARGET} and {@code
 *               target scope: backend <name>} by name (when some held-out row is in the {@linkplain #inTargetScope
 *               target scope}), then {@code mode <agg|disagg>}, then
 *               {@code backend <name>} by name, then {@code backend <name> <version>} by name (rows that record
 *               their engine's version: one campaign's harness and engine build), then {@code <model> on <gpu>}
 *               (with {@code (disagg)} for disaggregated rows) by name, then {@link #FITTED} when some replayed
 *               rows were fitted on
 */
public record ErrorSummary(List<Group> groups) {
    /** The group of the rows that the coefficients in use were fitted on. */
    public static final String FITTED = "fitted rows (not held out)";
    /** The group of the held-out rows in the {@linkplain #inTargetScope target scope}. */
    public static final String TARGET = "target scope";
    /** The catalog models of the end-to-end target (docs/validation.md): the dense models of the silicon sample. */
    static final Set<String> TARGET_MODELS = Set.of("Llama-3.1-8B", "Llama-3.1-70B", "Qwen3-32B");
    /** The catalog GPUs of the end-to-end target: H100-SXM, whose kernels were measured, and H200, the same chip. */
    static final Set<String> TARGET_GPUS = Set.of("H100-SXM", "H200");

    /** The errors of one group of rows, per metric (only metrics at least one row measured). */
    public record Group(String name, int rows, Map<ServingMetric, MetricError> metrics) {
    }

    /** Statistics of the percentage errors of one metric: of their absolute values, and their signed median. */
    public record MetricError(int count, double mape, double medianApe, double p90Ape, double medianError) {
        static MetricError of(double[] signedErrors, int count) {
            double[] absolute = new double[count];
            for (int i = 0; i < count; i++) {
                absolute[i] = Math.abs(signedErrors[i]);
            }
            Percentiles p = new Percentiles(absolute, count);
            return new MetricError(count, p.mean(), p.percentile(50), p.percentile(90),
                    new Percentiles(signedErrors, count).percentile(50));
        }
    }

    /** Summarises the replayed rows among {@code results}; those {@code fitted} selects only in {@link #FITTED}. */
    public static ErrorSummary of(List<RowResult> results, Predicate<BenchmarkRow> fitted) {
        List<RowResult> heldOut = results.stream().filter(r -> r.replayed() && !fitted.test(r.row())).toList();
        List<RowResult> fitRows = results.stream().filter(r -> r.replayed() && fitted.test(r.row())).toList();
        List<Group> groups = new ArrayList<>();
        groups.add(group("all", heldOut));
        List<RowResult> target = heldOut.stream().filter(ErrorSummary::inTargetScope).toList();
        if (!target.isEmpty()) {
            groups.add(group(TARGET, target));
            groupBy(target, r -> TARGET + ": backend " + backendName(r), groups);
        }
        groupBy(heldOut, r -> "mode " + r.row().mode(), groups);
        groupBy(heldOut, r -> "backend " + backendName(r), groups);
        groupBy(heldOut.stream().filter(r -> !r.row().backendVersion().isEmpty()).toList(),
                r -> "backend " + backendName(r) + " " + r.row().backendVersion(), groups);
        groupBy(heldOut, r -> ReplayPlanner.modelOnGpu(r.model(), r.gpu(), r.row().mode()), groups);
        if (!fitRows.isEmpty()) {
            groups.add(group(FITTED, fitRows));
        }
        return new ErrorSummary(List.copyOf(groups));
    }

    /**
     * Whether a row was replayed and is in the scope of the end-to-end accuracy target (docs/validation.md, "The
     * target scope"): an aggregated deployment of Llama-3.1-8B, Llama-3.1-70B or Qwen3-32B on H100-SXM or H200, the
     * rows whose every kernel ServeSim's H100 coefficients describe (dense layers on the chip they were measured on).
     */
    static boolean inTargetScope(RowResult r) {
        return r.replayed() && r.row().mode().equals("agg") && TARGET_MODELS.contains(r.model())
                && TARGET_GPUS.contains(r.gpu());
    }

    private static String backendName(RowResult r) {
        return r.row().backend().isEmpty() ? "(none)" : r.row().backend();
    }

    private static void groupBy(List<RowResult> rows, Function<RowResult, String> key, List<Group> out) {
        Map<String, List<RowResult>> byKey = new TreeMap<>();
        for (RowResult r : rows) {
            byKey.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        }
        byKey.forEach((name, members) -> out.add(group(name, members)));
    }

    private static Group group(String name, List<RowResult> rows) {
        Map<ServingMetric, MetricError> metrics = new EnumMap<>(ServingMetric.class);
        for (ServingMetric metric : ServingMetric.values()) {
            double[] errors = new double[rows.size()];
            int n = 0;
            for (RowResult r : rows) {
                double e = r.relativeError(metric);
                if (!Double.isNaN(e)) {
                    errors[n++] = e;
                }
            }
            if (n > 0) {
                metrics.put(metric, MetricError.of(errors, n));
            }
        }
        return new Group(name, rows.size(), metrics);
    }

    /** The group named {@code all}. */
    public Group all() {
        return groups.get(0);
    }

    /** Groups by name, for lookups in tests and reports. */
    public Map<String, Group> byName() {
        Map<String, Group> map = new LinkedHashMap<>();
        groups.forEach(g -> map.put(g.name(), g));
        return map;
    }
}
