package io.servesim.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.setup.DeploymentConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code layouts}: parallel layouts side by side, in groups — a configuration's group is its label up to the first
 * {@code ": "} (the outer arm of nested arms), its layout the rest. Per layout: GPUs, KV cache per replica (tokens),
 * offered and achieved rate, completions, TTFT and TPOT p50, GPU utilisation (mean, min–max), balance and the share
 * of GPU time spent communicating; where some layouts of a group were left out (their memory arithmetic is printed
 * with the run's notes), the arithmetic of those that fit.
 *
 * <p>Option {@code answers}: group → {@code {question, column, compare}}, which prints the question under the group's
 * title and an answer line comparing {@code column} over its layouts: {@code speedup} (first / each, for a time),
 * {@code gain} (each / first, for a count or rate) or {@code value} (each value).
 */
final class LayoutsReport implements PlanReport {
    private static final Set<String> COMPARISONS = Set.of("speedup", "gain", "value");

    @Override
    public String name() {
        return "layouts";
    }

    @Override
    public String description() {
        return "parallel layouts per group: memory, rates, latency, GPU utilisation (option: answers)";
    }

    @Override
    public Set<String> options() {
        return Set.of("answers");
    }

    @Override
    public List<String> check(ObjectNode options) {
        List<String> problems = new ArrayList<>();
        JsonNode answers = options.get("answers");
        if (answers == null) {
            return problems;
        }
        if (!answers.isObject()) {
            return List.of("answers: must be a mapping of group → {question, column, compare}");
        }
        answers.fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            String path = "answers." + e.getKey();
            for (Iterator<String> keys = a.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!Set.of("question", "column", "compare").contains(key)) {
                    problems.add(path + "." + key + ": unknown key; known keys here: column, compare, question");
                }
            }
            if (!a.path("column").isTextual()) {
                problems.add(path + ".column: must name the result column the answer compares");
            }
            if (!COMPARISONS.contains(a.path("compare").asText())) {
                problems.add(path + ".compare: must be speedup, gain or value, got " + a.path("compare"));
            }
        });
        return problems;
    }

    @Override
    public List<Path> write(Input input) {
        PrintWriter out = input.out();
        JsonNode answers = input.options().path("answers");
        answers.fields().forEachRemaining(a -> input.requireColumns("layouts.answers." + a.getKey() + ".column",
                List.of(a.getValue().get("column").asText())));
        List<ConfigurationMeans> configurations = input.configurations();
        Set<String> groups = new LinkedHashSet<>();
        answers.fieldNames().forEachRemaining(groups::add);
        configurations.forEach(c -> groups.add(group(c.label())));
        input.notRun().forEach(note -> groups.add(group(note)));
        for (String group : groups) {
            JsonNode answer = answers.path(group);
            out.printf(Locale.ROOT, "  %s%s%n", group, answer.has("question") ? ": " + answer.get("question").asText() : "");
            out.printf(Locale.ROOT, "    %-24s %4s %10s %8s %9s %8s %9s %9s %6s %13s %7s %6s%n", "layout", "GPUs",
                    "KV/replica", "offered", "completed", "req/s", "TTFT p50", "TPOT p50", "util", "util min–max",
                    "balance", "comm");
            List<ConfigurationMeans> rows = configurations.stream().filter(c -> group(c.label()).equals(group)).toList();
            for (ConfigurationMeans c : rows) {
                out.printf(Locale.ROOT, "    %-24s %4s %10d %8.2f %9.0f %8.2f %8.3fs %8.4fs %5.1f%% %5.1f–%5.1f%% %7.3f %5.1f%%%n",
                        layout(c.label()), c.rows().get(0).get("gpus"), fit(c).tokens(),
                        c.mean("offered_rps"), c.mean("completed"), c.mean("throughput_rps"), c.mean("ttft_p50_s"),
                        c.mean("tpot_p50_s"), 100 * c.mean("gpu_util_mean"), 100 * c.mean("gpu_util_min"),
                        100 * c.mean("gpu_util_max"), c.mean("gpu_balance"), 100 * c.mean("gpu_comm_fraction"));
            }
            List<String> left = input.notRun().stream().filter(note -> group(note).equals(group)).toList();
            // where some layouts do not fit (the notes above), the arithmetic of those that do shows how close each came
            if (!left.isEmpty()) {
                rows.forEach(c -> out.printf(Locale.ROOT, "    %s: fits: %s%n", layout(c.label()),
                        fit(c).describe()));
            }
            if (rows.size() > 1 && answer.has("column")) {
                out.println("    answer: " + answer(answer.get("column").asText(), answer.get("compare").asText(), rows));
            }
        }
        return List.of();
    }

    /** The group of a label: up to its first ": " (the whole label when it has none). */
    private static String group(String label) {
        int colon = label.indexOf(": ");
        return colon < 0 ? label : label.substring(0, colon);
    }

    private static String layout(String label) {
        int colon = label.indexOf(": ");
        return colon < 0 ? label : label.substring(colon + 2);
    }

    /** The memory fit of a configuration that ran (so its weights fit). */
    private static MemoryFit.Fits fit(ConfigurationMeans c) {
        DeploymentConfig deployment = c.scenario().deployment();
        return deployment.resolve(deployment.loadCatalog()).memoryFit().orThrow();
    }

    private static String answer(String column, String compare, List<ConfigurationMeans> rows) {
        ConfigurationMeans first = rows.get(0);
        double reference = first.mean(column);
        StringBuilder text = new StringBuilder(switch (compare) {
            case "speedup" -> "speedup of " + column + " over " + layout(first.label()) + ": ";
            case "gain" -> column + " relative to " + layout(first.label()) + ": ";
            default -> column + ": ";
        });
        List<ConfigurationMeans> compared = compare.equals("value") ? rows : rows.subList(1, rows.size());
        for (int i = 0; i < compared.size(); i++) {
            ConfigurationMeans c = compared.get(i);
            double value = c.mean(column);
            text.append(i == 0 ? "" : ", ").append(layout(c.label())).append(' ').append(switch (compare) {
                case "speedup" -> String.format(Locale.ROOT, "%.2f×", reference / value);
                case "gain" -> String.format(Locale.ROOT, "%.2f×", value / reference);
                default -> String.format(Locale.ROOT, "%.3f", value);
            });
        }
        return text.toString();
    }
}
