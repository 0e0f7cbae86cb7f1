package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.analysis.ResultsCsvLoader.LoadedResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the {@link RunDescription} of a results folder. config.json is read where the plan commands write it:
 * {@code servesim}, {@code command}, {@code offered_load}, {@code step_time_model}, the scenario under
 * {@code scenario} (stress plan) or {@code settings.scenario} (studies), the seed under {@code plan.seed},
 * {@code settings.seed} or {@code scenario.seed}. A folder without config.json is described from its rows alone.
 */
public final class RunDescriptionReader {

    private RunDescriptionReader() {
    }

    public static RunDescription describe(LoadedResults results, List<ConfigSummary> configs, boolean stressPlan,
                                          String analysedBy) {
        Table rows = results.rows();
        JsonNode config = results.config();
        JsonNode scenario = config == null ? null : first(config.at("/scenario"), config.at("/settings/scenario"));
        String experiment = text(config, "/experiment");
        if (experiment == null) {
            experiment = stressPlan ? "stress" : distinctText(rows.stringColumn(STEP)).stream().findFirst().orElse("study");
        }
        List<String> models = distinctText(rows.stringColumn(MODEL));
        List<String> gpuTypes = distinctText(rows.stringColumn(GPU_TYPE));
        if (models.isEmpty() && scenario != null && text(scenario, "/deployment/model") != null) {
            models = List.of(text(scenario, "/deployment/model"));
        }
        if (gpuTypes.isEmpty() && scenario != null && text(scenario, "/deployment/gpu") != null) {
            gpuTypes = List.of(text(scenario, "/deployment/gpu"));
        }
        List<String> parallelism = parallelism(rows);
        String workload = text(scenario, "/workload/name");
        if (workload == null) {
            workload = text(config, "/offered_load/workload");
        }
        Double offered = number(config, "/offered_load/rps");
        List<Double> measured = measuredOffered(configs);
        Long seed = integer(config, "/plan/seed");
        if (seed == null) {
            seed = integer(config, "/settings/seed");
        }
        if (seed == null) {
            seed = integer(scenario, "/seed");
        }
        int replications = configs.stream().mapToInt(ConfigSummary::replications).max().orElse(1);
        String[] stepTime = stepTimeModel(config, scenario);
        return new RunDescription(
                title(experiment, stressPlan, models, gpuTypes, workload, offered, measured),
                experiment, models, gpuTypes, parallelism,
                distinctText(rows.stringColumn(SCHEDULER)), distinctText(rows.stringColumn(ROUTER)),
                workload, text(scenario, "/workload/description"), offered, measured,
                distinctNumbers(rows.doubleColumn(RPS_SCALE)),
                distinctNumbers(rows.doubleColumn(REQUESTS)).stream().map(Math::round).toList(),
                seed, replications,
                integerOrNull(integer(scenario, "/engine/max_num_seqs")),
                integerOrNull(integer(scenario, "/engine/max_num_batched_tokens")),
                bool(scenario, "/engine/chunked_prefill"),
                bool(scenario, "/engine/mixed_batches"),
                sla(configs),
                text(config, "/command"),
                version(config),
                analysedBy,
                stepTime[0], stepTime[1],
                capacityTolerance(config),
                results.configNote());
    }

    private static double capacityTolerance(JsonNode config) {
        Double tolerance = number(config, "/plan/capacity/tolerance");
        return tolerance != null && tolerance > 0 ? tolerance : RunDescription.DEFAULT_CAPACITY_TOLERANCE;
    }

    private static String title(String experiment, boolean stressPlan, List<String> models, List<String> gpuTypes,
                                String workload, Double offered, List<Double> measured) {
        StringBuilder title = new StringBuilder(stressPlan ? "ServeSim stress plan" : "ServeSim study " + experiment);
        title.append(": ").append(oneOrCount(models, "models")).append(" on ").append(oneOrCount(gpuTypes, "GPU types"));
        if (workload != null) {
            title.append(", workload ").append(workload);
        }
        Double rate = offered != null ? offered : measured.size() == 2 && sameWithin(measured.get(0), measured.get(1))
                ? measured.get(1) : null;
        if (rate != null) {
            title.append(" at ").append(compact(rate)).append(" req/s");
        }
        return title.toString();
    }

    private static boolean sameWithin(double a, double b) {
        return Math.abs(a - b) <= 0.02 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String oneOrCount(List<String> values, String plural) {
        if (values.isEmpty()) {
            return "(not recorded)";
        }
        return values.size() == 1 ? values.get(0) : values.size() + " " + plural;
    }

    /** "TP 1 × PP 1" per distinct (tp, pp) of the rows. */
    private static List<String> parallelism(Table rows) {
        TreeSet<String> values = new TreeSet<>();
        DoubleColumn tp = rows.doubleColumn(TP);
        DoubleColumn pp = rows.doubleColumn(PP);
        for (int row = 0; row < rows.rowCount(); row++) {
            if (!tp.isMissing(row) && !pp.isMissing(row)) {
                values.add("TP " + Math.round(tp.get(row)) + " × PP " + Math.round(pp.get(row)));
            }
        }
        return List.copyOf(values);
    }

    /** Smallest and largest mean measured offered rate over configurations; empty when not recorded. */
    private static List<Double> measuredOffered(List<ConfigSummary> configs) {
        double[] means = configs.stream().mapToDouble(c -> c.mean(OFFERED_RPS)).filter(Double::isFinite).toArray();
        if (means.length == 0) {
            return List.of();
        }
        double min = means[0];
        double max = means[0];
        for (double mean : means) {
            min = Math.min(min, mean);
            max = Math.max(max, mean);
        }
        return List.of(min, max);
    }

    /** "TTFT ≤ 2 s, TPOT ≤ 0.1 s, e2e/token ≤ 0.2 s" when every configuration has the same SLA. */
    private static String sla(List<ConfigSummary> configs) {
        TreeSet<String> slas = new TreeSet<>();
        for (ConfigSummary c : configs) {
            double ttft = c.mean(SLA_TTFT_S);
            double tpot = c.mean(SLA_TPOT_S);
            double norm = c.mean(SLA_NORM_LATENCY_S_PER_TOKEN);
            if (Double.isFinite(ttft) && Double.isFinite(tpot) && Double.isFinite(norm)) {
                slas.add("TTFT ≤ " + compact(ttft) + " s, TPOT ≤ " + compact(tpot) + " s, e2e per output token ≤ "
                        + compact(norm) + " s");
            } else {
                slas.add("per profile (see summary.json)");
            }
        }
        return slas.size() == 1 ? slas.first() : slas.isEmpty() ? null : "differs between configurations";
    }

    private static String version(JsonNode config) {
        String release = text(config, "/servesim/release");
        String commit = text(config, "/servesim/commit");
        if (release == null && commit == null) {
            return null;
        }
        String java = text(config, "/servesim/java");
        return (release == null ? "unknown release" : release) + " (commit " + (commit == null ? "unknown" : commit) + ")"
                + (java == null ? "" : " on Java " + java);
    }

    /**
     * {name, validated error}: config.json's {@code step_time_model} (a name, or an object with {@code name} and
     * {@code validated_error} or {@code error}), else a measured profile the deployment names
     * ({@code deployment.step_time_profile}), else {@link RunDescription#UNCALIBRATED}.
     */
    private static String[] stepTimeModel(JsonNode config, JsonNode scenario) {
        JsonNode node = config == null ? null : config.get("step_time_model");
        if (node != null && node.isTextual() && !node.asText().isBlank()) {
            return new String[] {node.asText(), null};
        }
        if (node != null && node.isObject() && text(node, "/name") != null) {
            String error = text(node, "/validated_error");
            if (error == null) {
                error = text(node, "/error");
            }
            return new String[] {text(node, "/name"), error};
        }
        String profile = text(scenario, "/deployment/step_time_profile");
        if (profile != null) {
            return new String[] {"measured step-time profile " + profile, null};
        }
        return new String[] {RunDescription.UNCALIBRATED, null};
    }

    private static JsonNode first(JsonNode a, JsonNode b) {
        return a != null && a.isObject() ? a : b != null && b.isObject() ? b : null;
    }

    private static String text(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    private static Double number(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        return value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : null;
    }

    private static Long integer(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        return value.isIntegralNumber() ? value.asLong() : null;
    }

    private static Integer integerOrNull(Long value) {
        return value == null || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    private static Boolean bool(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        return value.isBoolean() ? value.asBoolean() : null;
    }

    private static List<String> distinctText(StringColumn column) {
        TreeSet<String> values = new TreeSet<>();
        for (String value : column) {
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    private static List<Double> distinctNumbers(DoubleColumn column) {
        TreeSet<Double> values = new TreeSet<>();
        for (double value : column.asDoubleArray()) {
            if (Double.isFinite(value)) {
                values.add(value);
            }
        }
        return new ArrayList<>(values);
    }

    /** 200.0 → "200", 0.1 → "0.1", 44.0123 → "44.01". */
    static String compact(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        String text = String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : Math.abs(value) >= 1 ? "%.2f" : "%.3g",
                value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
