package io.servesim.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code changes}: per configuration (means over replications) the result columns of its options, each with its
 * change against the first configuration, the baseline. Options: {@code columns} (compared, required) and
 * {@code shown} (printed before them, without a change); a column whose name ends in {@code _rate…} is printed as
 * a percentage.
 */
final class ChangesReport implements PlanReport {
    @Override
    public String name() {
        return "changes";
    }

    @Override
    public String description() {
        return "chosen columns per configuration with their change against the first (options: columns, shown)";
    }

    @Override
    public Set<String> options() {
        return Set.of("columns", "shown");
    }

    @Override
    public List<String> check(ObjectNode options) {
        List<String> problems = new ArrayList<>();
        for (String option : List.of("columns", "shown")) {
            JsonNode node = options.get(option);
            boolean required = option.equals("columns");
            if (node == null ? required : !node.isArray() || node.isEmpty() && required
                    || !java.util.stream.StreamSupport.stream(node.spliterator(), false).allMatch(JsonNode::isTextual)) {
                problems.add(option + ": must be a " + (required ? "non-empty " : "") + "list of result columns"
                        + " (docs/results-schema.md)");
            }
        }
        return problems;
    }

    @Override
    public List<Path> write(Input input) {
        List<String> columns = columns(input, "columns");
        List<String> shown = columns(input, "shown");
        input.requireColumns("changes.columns", columns);
        input.requireColumns("changes.shown", shown);
        List<ConfigurationMeans> configurations = input.configurations();
        ConfigurationMeans baseline = configurations.get(0);
        PrintWriter out = input.out();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-40s %5s", "configuration (mean over seeds)",
                "runs"));
        shown.forEach(column -> header.append(String.format(Locale.ROOT, " %24s", column)));
        columns.forEach(column -> header.append(String.format(Locale.ROOT, " %24s", column)));
        out.println(header);
        for (ConfigurationMeans c : configurations) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-40s %5d", c.label(), c.rows().size()));
            for (String column : shown) {
                row.append(String.format(Locale.ROOT, " %24s", value(column, c.mean(column))));
            }
            for (String column : columns) {
                double value = c.mean(column);
                String change = c == baseline ? "" : String.format(Locale.ROOT, "(%+.1f%%)",
                        100 * (value / baseline.mean(column) - 1));
                row.append(String.format(Locale.ROOT, " %15s %8s", value(column, value), change));
            }
            out.println(row);
        }
        out.println("  changes are against " + baseline.label() + "; for a latency a negative change is an improvement");
        return List.of();
    }

    private static String value(String column, double value) {
        return column.contains("_rate") ? String.format(Locale.ROOT, "%.1f%%", 100 * value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    private static List<String> columns(Input input, String option) {
        List<String> columns = new ArrayList<>();
        input.options().path(option).forEach(c -> columns.add(c.asText()));
        return columns;
    }
}
