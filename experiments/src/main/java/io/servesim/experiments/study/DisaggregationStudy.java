package io.servesim.experiments.study;

import io.servesim.analysis.figures.ChartStyle;
import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.scenario.Pools;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.workloads.Presets;
import io.servesim.workloads.WorkloadSpec;
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
import java.util.function.ToDoubleFunction;

/**
 * {@code disaggregation}: aggregated against disaggregated serving of Llama-3.1-70B (TP 4 replicas) on the Azure
 * conversation and coding traces of 2023, after Splitwise (ISCA 2024): homogeneous H100 clusters, an H100-prefill /
 * A100-decode cluster at equal GPU count and at about equal cost, and H100 decode replicas power-capped at 70 % of
 * TDP (Splitwise-HHcap), each at three loads. The table gives goodput under the SLA, goodput per cost unit, TTFT and
 * TPOT, energy per output token and the KV transfer time; the figures draw goodput and energy per token against
 * the offered load (docs/disaggregation.md).
 */
public final class DisaggregationStudy implements Study {
    static final String MODEL = "Llama-3.1-70B";
    static final int TP = 4;
    /** Price of an A100-80GB relative to an H100 (Splitwise, Table 1: the H100 costs 2.16× as much). */
    static final double A100_COST = 1 / 2.16;
    /** Splitwise-HHcap: token machines capped at 70 % of TDP. */
    static final double DECODE_POWER_CAP = 0.7;
    private static final String SUMMARY_FILE = "disaggregation_summary.csv";
    /** The study's own figures (the analysis replaces {@code figures/} as a whole). */
    static final String FIGURES = "study_figures";

    /** Replicas of the aggregated clusters; a disaggregated cluster of equal GPU count splits them. */
    static final int REPLICAS = 4;

    /**
     * A trace, the load multipliers it is replayed at, and how a disaggregated cluster of {@link #REPLICAS} replicas
     * splits them between prefill and decode (the conversation trace's outputs are long, the coding trace's prompts
     * long and outputs short; Splitwise also sizes the pools per trace).
     */
    record Trace(String key, String resource, double[] loads, int prefillReplicas) {
        int decodeReplicas() {
            return REPLICAS - prefillReplicas;
        }
    }

    static final List<Trace> TRACES = List.of(
            new Trace("conv", "io/servesim/experiments/study/disagg-azure-conv.yaml", new double[] {1, 2, 4}, 2),
            new Trace("code", "io/servesim/experiments/study/disagg-azure-code.yaml", new double[] {1, 2, 4}, 3));

    /**
     * A cluster: aggregated ({@code decodeGpu} null: {@link #REPLICAS} replicas of {@code prefillGpu}) or
     * disaggregated (the trace's split, the decode replicas multiplied by {@code decodeFactor}).
     */
    record Configuration(String key, String prefillGpu, String decodeGpu, int decodeFactor, Double decodeCap) {
        int prefillReplicas(Trace trace) {
            return decodeGpu == null ? REPLICAS : trace.prefillReplicas();
        }

        int decodeReplicas(Trace trace) {
            return decodeGpu == null ? 0 : trace.decodeReplicas() * decodeFactor;
        }

        int gpus(Trace trace) {
            return TP * (prefillReplicas(trace) + decodeReplicas(trace));
        }

        /** Cost in H100 units (an A100 costs {@link #A100_COST}). */
        double cost(Trace trace) {
            return TP * (prefillReplicas(trace) * price(prefillGpu) + decodeReplicas(trace) * price(decodeGpu));
        }

        /** E.g. {@code aggregated 4 H100}, {@code 2 H100 P + 4 A100 D}, {@code 2 H100 P + 2 H100 D capped 70%}. */
        String label(Trace trace) {
            if (decodeGpu == null) {
                return "aggregated " + REPLICAS + " " + shortName(prefillGpu);
            }
            return prefillReplicas(trace) + " " + shortName(prefillGpu) + " P + " + decodeReplicas(trace) + " "
                    + shortName(decodeGpu) + " D" + (decodeCap == null ? "" : " capped " + Math.round(100 * decodeCap)
                    + "%");
        }

        /** Power the cluster is provisioned for: Σ over GPUs of TDP, or of the cap where capped, W. */
        double provisionedWatts(Trace trace, Catalog catalog) {
            double prefill = TP * prefillReplicas(trace) * catalog.gpu(prefillGpu).power().tdpWatts();
            double decode = decodeGpu == null ? 0 : TP * decodeReplicas(trace)
                    * catalog.gpu(decodeGpu).power().tdpWatts() * (decodeCap == null ? 1 : decodeCap);
            return prefill + decode;
        }

        private static String shortName(String gpu) {
            return gpu.substring(0, gpu.indexOf('-'));
        }

        private static double price(String gpu) {
            return gpu == null ? 0 : gpu.startsWith("A100") ? A100_COST : 1;
        }
    }

    static final List<Configuration> CONFIGURATIONS = List.of(
            new Configuration("agg-h100", "H100-SXM", null, 0, null),
            new Configuration("agg-a100", "A100-80GB", null, 0, null),
            new Configuration("hh", "H100-SXM", "H100-SXM", 1, null),
            new Configuration("hhcap", "H100-SXM", "H100-SXM", 1, DECODE_POWER_CAP),
            new Configuration("ha", "H100-SXM", "A100-80GB", 1, null),
            new Configuration("ha-cost", "H100-SXM", "A100-80GB", 2, null));

    @Override
    public String name() {
        return "disaggregation";
    }

    @Override
    public String description() {
        return "aggregated vs disaggregated (H100/H100, H100/A100, capped decode) Llama-3.1-70B on the Azure traces";
    }

    @Override
    public String defaultWorkload() {
        return "stress";
    }

    static WorkloadSpec workload(Trace trace) {
        return ConfigMapper.readResource(trace.resource(), WorkloadSpec.class);
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        if (!template.workload().equals(Presets.load(defaultWorkload()))) {
            throw new ConfigException("workload: the disaggregation study replays the Azure traces itself ("
                    + TRACES.stream().map(Trace::resource).toList() + "); give --rps-scale to scale their loads");
        }
        double scale = settings.rpsScale() == null ? 1 : settings.rpsScale();
        EngineConfig engine = template.engine().withChunkedPrefill(true);
        DeploymentConfig deployment = template.deployment().withModelAndGpu(MODEL, "H100-SXM");
        List<Cell> cells = new ArrayList<>();
        int replications = settings.replicationsOr(1);
        for (Trace trace : TRACES) {
            for (double load : trace.loads()) {
                WorkloadSpec workload = workload(trace).withRpsScale(load * scale);
                if (settings.requests() != null) {
                    workload = workload.withRequests(settings.requests());
                }
                for (Configuration c : CONFIGURATIONS) {
                    Scenario scenario = scenario(template.withWorkload(workload).withEngine(engine), deployment, c,
                            trace);
                    String key = String.format(Locale.ROOT, "%s-%s-%s-x%s", name(), c.key(), trace.key(),
                            ChartStyle.compact(load * scale));
                    for (int r = 0; r < replications; r++) {
                        cells.add(Cell.seeded(key, name(), c.label(trace), r, scenario, settings.seed()));
                    }
                }
            }
        }
        return new StudyDesign(cells, List.of());
    }

    static Scenario scenario(Scenario base, DeploymentConfig deployment, Configuration c, Trace trace) {
        EngineConfig engine = base.engine();
        if (c.decodeGpu() == null) {
            return base.withDeployment(deployment.withModelAndGpu(MODEL, c.prefillGpu())
                            .withParallelism(TP, 1, REPLICAS))
                    .withScheduling(new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.LeastLoaded()));
        }
        Pools.Pool prefill = new Pools.Pool(c.prefillGpu(), TP, 1, 1, c.prefillReplicas(trace), null, engine,
                new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.LeastLoaded()));
        Pools.Pool decode = new Pools.Pool(c.decodeGpu(), TP, 1, 1, c.decodeReplicas(trace), c.decodeCap(), engine,
                new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.KvAware()));
        return base.withDeployment(deployment).withPools(new Pools(prefill, decode));
    }

    /** One configuration at one trace and load, averaged over replications. */
    record Point(Configuration configuration, Trace trace, double offeredRps, ConfigurationMeans means) {
        double perCost(String column) {
            return means.mean(column) / cost();
        }

        double cost() {
            return configuration.cost(trace);
        }

        int gpus() {
            return configuration.gpus(trace);
        }

        double provisionedWatts(Catalog catalog) {
            return configuration.provisionedWatts(trace, catalog);
        }
    }

    /** The finished cells as points; a cell's id names its configuration and trace ({@code <study>-<c>-<t>-x<load>}). */
    static List<Point> points(List<FinishedCell> cells) {
        List<Point> points = new ArrayList<>();
        for (ConfigurationMeans m : ConfigurationMeans.of(cells)) {
            for (Configuration c : CONFIGURATIONS) {
                for (Trace t : TRACES) {
                    if (m.configKey().startsWith("disaggregation-" + c.key() + "-" + t.key() + "-x")) {
                        points.add(new Point(c, t, m.mean("offered_rps"), m));
                    }
                }
            }
        }
        return points;
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        Catalog catalog = Catalog.load(Optional.empty());
        out.printf(Locale.ROOT, "  %-5s %-30s %4s %5s %5s %7s %8s %9s %9s %9s %9s %8s %9s %8s%n", "trace",
                "configuration", "GPUs", "cost", "kW", "offered", "goodput", "good/cost", "TTFT p50", "TTFT p99",
                "TPOT p50", "TPOT p99", "J/token", "KV s");
        for (Point p : points(cells)) {
            ConfigurationMeans m = p.means();
            out.printf(Locale.ROOT, "  %-5s %-30s %4d %5.1f %5.1f %7.2f %8.2f %9.3f %9.3f %9.3f %9.4f %8.4f %9.3f %8.4f%n",
                    p.trace().key(), m.label(), p.gpus(), p.cost(), p.provisionedWatts(catalog) / 1e3, p.offeredRps(),
                    m.mean("goodput_rps"), p.perCost("goodput_rps"), m.mean("ttft_p50_s"), m.mean("ttft_p99_s"),
                    m.mean("tpot_p50_s"), m.mean("tpot_p99_s"), m.mean("energy_per_output_token_j"),
                    m.mean("kv_transfer_mean_s"));
        }
        out.println("  P/D: prefill/decode pool of TP 4 replicas; cost in H100 units (an A100-80GB costs 1/2.16 of an"
                + " H100, Splitwise Table 1); kW: power provisioned (TDP, or the cap); goodput in req/s meeting"
                + " TTFT <= 2 s and TPOT <= 100 ms; KV s: mean KV transfer time");
    }

    @Override
    public List<Path> writeTables(PlanFolder folder, List<FinishedCell> cells) {
        List<Point> points = points(cells);
        List<Path> files = new ArrayList<>();
        files.add(writeSummary(folder.resolve(SUMMARY_FILE), points, Catalog.load(Optional.empty())));
        Path figures = folder.resolve(FIGURES);
        FigureRenderer renderer = new FigureRenderer(figures);
        for (Trace trace : TRACES) {
            List<Point> ofTrace = points.stream().filter(p -> p.trace() == trace).toList();
            if (ofTrace.isEmpty()) {
                continue;
            }
            files.add(figure(renderer, figures, ofTrace, trace, "goodput_per_cost", "Goodput per cost",
                    "Goodput per cost unit (req/s)", p -> p.perCost("goodput_rps")));
            files.add(figure(renderer, figures, ofTrace, trace, "energy_per_token", "Energy per output token",
                    "Energy per output token (J)", p -> p.means().mean("energy_per_output_token_j")));
        }
        return files;
    }

    /**
     * One line per configuration against the offered load; a configuration whose line
     * equals one drawn already is not drawn again, and the caption says so.
     */
    private static Path figure(FigureRenderer renderer, Path figures, List<Point> points, Trace trace, String name,
                               String title, String yTitle, ToDoubleFunction<Point> value) {
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
        XYChart chart = ChartStyle.lineChart(renderer.options(), title + ", " + trace.key() + " trace",
                "Offered load (req/s)", yTitle, drawn.size());
        chart.getStyler().setXAxisDecimalPattern("#0.#");
        int index = 0;
        for (Map.Entry<String, double[]> line : drawn.entrySet()) {
            double[] x = lines.get(line.getKey()).stream().mapToDouble(p -> roundedLoad(p.offeredRps())).toArray();
            ChartStyle.dataSeries(chart.addSeries(line.getKey(), x, line.getValue()), index++);
        }
        String file = "disaggregation_" + name + "_" + trace.key();
        renderer.render(chart, "disaggregation", file, yTitle + " against the offered load, Azure " + trace.key()
                + " trace replayed 1, 2 and 4 times as fast; Llama-3.1-70B, TP 4 replicas."
                + (notDrawn.isEmpty() ? "" : " Not drawn (same values): " + String.join("; ", notDrawn) + "."));
        return figures.resolve(file + ".png");
    }

    private static double roundedLoad(double rps) {
        return Math.round(rps * 10) / 10.0;
    }

    private static Path writeSummary(Path file, List<Point> points, Catalog catalog) {
        List<String> lines = new ArrayList<>();
        lines.add("trace,configuration,gpus,cost_h100_units,provisioned_kw,offered_rps,goodput_rps,"
                + "goodput_rps_per_cost,ttft_p50_s,ttft_p99_s,tpot_p50_s,tpot_p99_s,energy_per_output_token_j,"
                + "avg_power_w,kv_transfer_mean_s");
        for (Point p : points) {
            ConfigurationMeans m = p.means();
            lines.add(String.join(",", p.trace().key(), m.label(), String.valueOf(p.gpus()), ResultRow.text(p.cost()),
                    ResultRow.text(p.provisionedWatts(catalog) / 1e3), ResultRow.text(p.offeredRps()),
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
