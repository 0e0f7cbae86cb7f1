package io.servesim.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.analysis.figures.ChartStyle;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.scenario.Scenario;
import org.knowm.xchart.XYChart;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * {@code cost_energy}: goodput per cost and energy per token of clusters of different GPU types (aggregated or split
 * into prefill and decode pools), per workload and offered load. It prints a table and writes
 * {@code <experiment>_summary.csv} (one row per configuration and load) and, per workload, two figures against the
 * offered load in {@value #FIGURES}: goodput per cost unit and energy per output token (a configuration whose line
 * equals one drawn already is not drawn again, and the caption says so).
 *
 * <p>Options: {@code cost} (required), the price of each GPU type in cost units (e.g. H100 = 1, an A100-80GB
 * 1/2.16 of it); {@code groups}, a short name for each workload name (the {@code trace} column and the figure
 * names; default the workload's name). The provisioned power of a cluster is Σ GPUs · TDP (· the power cap).
 */
final class CostEnergyReport implements PlanReport {
    /** The report's figures (the analysis replaces {@code figures/} as a whole). */
    static final String FIGURES = "study_figures";

    @Override
    public String name() {
        return "cost_energy";
    }

    @Override
    public String description() {
        return "goodput per cost and energy per token per workload and load: table, <experiment>_summary.csv, figures"
                + " (options: cost, groups)";
    }

    @Override
    public Set<String> options() {
        return Set.of("cost", "groups");
    }

    @Override
    public List<String> check(ObjectNode options) {
        List<String> problems = new ArrayList<>();
        JsonNode cost = options.get("cost");
        if (cost == null || !cost.isObject() || cost.isEmpty()) {
            problems.add("cost: must map each GPU type to its price in cost units, e.g. {H100-SXM: 1}");
        } else {
            cost.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber() || !(e.getValue().asDouble() > 0)) {
                    problems.add("cost." + e.getKey() + ": must be a price > 0, got " + e.getValue());
                }
            });
        }
        JsonNode groups = options.get("groups");
        if (groups != null && (!groups.isObject()
                || !java.util.stream.StreamSupport.stream(groups.spliterator(), false).allMatch(JsonNode::isTextual))) {
            problems.add("groups: must map workload names to short names");
        }
        return problems;
    }

    /** One configuration at one load, averaged over replications. */
    private record Point(String group, Scenario scenario, ConfigurationMeans means, double cost, double provisionedWatts) {
        double offeredRps() {
            return means.mean("offered_rps");
        }

        double perCost(String column) {
            return means.mean(column) / cost;
        }
    }

    @Override
    public List<Path> write(Input input) {
        Catalog catalog = Catalog.load(Optional.empty());
        List<Point> points = points(input, catalog);
        PrintWriter out = input.out();
        out.printf(Locale.ROOT, "  %-5s %-30s %4s %5s %5s %7s %8s %9s %9s %9s %9s %8s %9s %8s%n", "trace",
                "configuration", "GPUs", "cost", "kW", "offered", "goodput", "good/cost", "TTFT p50", "TTFT p99",
                "TPOT p50", "TPOT p99", "J/token", "KV s");
        for (Point p : points) {
            ConfigurationMeans m = p.means();
            out.printf(Locale.ROOT, "  %-5s %-30s %4s %5.1f %5.1f %7.2f %8.2f %9.3f %9.3f %9.3f %9.4f %8.4f %9.3f %8.4f%n",
                    p.group(), m.label(), m.rows().get(0).get("gpus"), p.cost(), p.provisionedWatts() / 1e3,
                    p.offeredRps(), m.mean("goodput_rps"), p.perCost("goodput_rps"), m.mean("ttft_p50_s"),
                    m.mean("ttft_p99_s"), m.mean("tpot_p50_s"), m.mean("tpot_p99_s"),
                    m.mean("energy_per_output_token_j"), m.mean("kv_transfer_mean_s"));
        }
        out.println("  cost in the units of the plan's cost table; kW: power provisioned (TDP, or the cap); goodput in"
                + " req/s meeting the workload's SLA; KV s: mean KV transfer time");
        List<Path> files = new ArrayList<>();
        files.add(writeSummary(input.folder().resolve(input.experiment() + "_summary.csv"), points));
        Path figures = input.folder().resolve(FIGURES);
        FigureRenderer renderer = new FigureRenderer(figures);
        Map<String, List<Point>> byGroup = new LinkedHashMap<>();
        points.forEach(p -> byGroup.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p));
        byGroup.forEach((group, ofGroup) -> {
            files.add(figure(renderer, figures, input.experiment(), ofGroup, group, "goodput_per_cost",
                    "Goodput per cost", "Goodput per cost unit (req/s)", p -> p.perCost("goodput_rps")));
            files.add(figure(renderer, figures, input.experiment(), ofGroup, group, "energy_per_token",
                    "Energy per output token", "Energy per output token (J)",
                    p -> p.means().mean("energy_per_output_token_j")));
        });
        return files;
    }

    private static List<Point> points(Input input, Catalog catalog) {
        JsonNode cost = input.options().get("cost");
        JsonNode groups = input.options().path("groups");
        List<Point> points = new ArrayList<>();
        for (ConfigurationMeans m : input.configurations()) {
            Scenario scenario = m.scenario();
            double price = 0;
            double watts = 0;
            for (DeploymentConfig h : scenario.hardware()) {
                int gpus = h.tp() * h.pp() * h.replicas();
                if (!cost.has(h.gpu())) {
                    throw new io.servesim.core.config.ConfigException("analysis: cost_energy.cost has no price for "
                            + h.gpu() + "; give every GPU type of the plan a price");
                }
                price += gpus * cost.get(h.gpu()).asDouble();
                watts += gpus * catalog.gpu(h.gpu()).power().tdpWatts()
                        * (h.powerCapFraction() == null ? 1 : h.powerCapFraction());
            }
            String workload = scenario.workload().name();
            String group = groups.path(workload).isTextual() ? groups.get(workload).asText() : workload;
            points.add(new Point(group, scenario, m, price, watts));
        }
        return points;
    }

    private static Path figure(FigureRenderer renderer, Path figures, String experiment, List<Point> points,
                               String group, String name, String title, String yTitle, ToDoubleFunction<Point> value) {
        Map<String, List<Point>> lines = new LinkedHashMap<>();
        for (Point p : points) {
            lines.computeIfAbsent(p.means().label(), k -> new ArrayList<>()).add(p);
        }
        Map<String, double[]> drawn = new LinkedHashMap<>();
        List<String> notDrawn = new ArrayList<>();
        for (Map.Entry<String, List<Point>> line : lines.entrySet()) {
            double[] y = line.getValue().stream().mapToDouble(value).toArray();
            String same = drawn.entrySet().stream().filter(e -> Arrays.equals(e.getValue(), y)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (same != null) {
                notDrawn.add(line.getKey() + " equals " + same);
            } else {
                drawn.put(line.getKey(), y);
            }
        }
        XYChart chart = ChartStyle.lineChart(renderer.options(), title + ", " + group, "Offered load (req/s)", yTitle,
                drawn.size());
        chart.getStyler().setXAxisDecimalPattern("#0.#");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###"); // 0.05, not XChart's default ".05"
        int index = 0;
        for (Map.Entry<String, double[]> line : drawn.entrySet()) {
            double[] x = lines.get(line.getKey()).stream().mapToDouble(p -> Math.round(p.offeredRps() * 10) / 10.0)
                    .toArray();
            ChartStyle.dataSeries(chart.addSeries(line.getKey(), x, line.getValue()), index++);
        }
        Scenario first = points.get(0).scenario();
        String file = experiment + "_" + name + "_" + group;
        renderer.render(chart, experiment, file, yTitle + " against the offered load, workload "
                + first.workload().name() + "; " + first.deployment().model() + "."
                + (notDrawn.isEmpty() ? "" : " Not drawn (same values): " + String.join("; ", notDrawn) + "."));
        return figures.resolve(file + ".png");
    }

    private static Path writeSummary(Path file, List<Point> points) {
        List<String> lines = new ArrayList<>();
        lines.add("trace,configuration,gpus,cost_h100_units,provisioned_kw,offered_rps,goodput_rps,"
                + "goodput_rps_per_cost,ttft_p50_s,ttft_p99_s,tpot_p50_s,tpot_p99_s,energy_per_output_token_j,"
                + "avg_power_w,kv_transfer_mean_s");
        for (Point p : points) {
            ConfigurationMeans m = p.means();
            lines.add(String.join(",", p.group(), m.label(), m.rows().get(0).get("gpus"), ResultRow.text(p.cost()),
                    ResultRow.text(p.provisionedWatts() / 1e3), ResultRow.text(p.offeredRps()),
                    ResultRow.text(m.mean("goodput_rps")), ResultRow.text(p.perCost("goodput_rps")),
                    ResultRow.text(m.mean("ttft_p50_s")), ResultRow.text(m.mean("ttft_p99_s")),
                    ResultRow.text(m.mean("tpot_p50_s")), ResultRow.text(m.mean("tpot_p99_s")),
                    ResultRow.text(m.mean("energy_per_output_token_j")), ResultRow.text(m.mean("avg_power_w")),
                    ResultRow.text(m.mean("kv_transfer_mean_s"))));
        }
        AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}
