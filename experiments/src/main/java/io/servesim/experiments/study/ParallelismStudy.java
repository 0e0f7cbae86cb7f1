package io.servesim.experiments.study;

import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.core.memory.MemoryFit;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;
import io.servesim.workloads.Presets;
import io.servesim.workloads.WorkloadSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code parallelism}: which parallelism fits which bottleneck. Each scenario makes one resource the bottleneck
 * with a workload preset and serves it with several parallel layouts (see docs/parallelism.md, "The parallelism
 * study"):
 * <ul>
 *   <li>compute-bound: 2000-token prompts on Llama-2-13B — tensor parallelism splits the prefill FLOPs;</li>
 *   <li>memory-constrained: 1500-token generations of Llama-2-13B on 40 GB A100s for a fixed simulated time —
 *       pipeline (and tensor) parallelism halve the weights per GPU and so multiply the KV cache;</li>
 *   <li>high throughput: short requests on Llama-2-7B at five times the preset's rate — data-parallel replicas;</li>
 *   <li>large model: GPT-3-175B on 80 GB and 141 GB GPUs — which layouts hold its weights at all;</li>
 *   <li>utilisation: Llama-2-13B on four GPUs under a steady load — how evenly TP, PP and DP keep them busy.</li>
 * </ul>
 * Every cell routes with {@code least_loaded}: across data-parallel replicas, and among a pipeline's virtual engines
 * as vLLM does. A layout whose weights do not fit is not run; the study reports it with the memory arithmetic.
 * Besides the results it writes {@value #GPUS_FILE}, one row per GPU of every cell.
 */
public final class ParallelismStudy implements Study {
    /** The per-GPU table. */
    public static final String GPUS_FILE = "parallelism_gpus.csv";

    /**
     * A parallel layout of one GPU type.
     *
     * @param gpu      catalog GPU name
     * @param tp       tensor-parallel degree
     * @param pp       pipeline-parallel degree
     * @param replicas data-parallel replicas
     */
    record Layout(String gpu, int tp, int pp, int replicas) {
        /** e.g. {@code TP=2·PP=2 on H200}, {@code 1 GPU on A100-40GB}. */
        String describe() {
            List<String> degrees = new ArrayList<>();
            if (tp > 1) {
                degrees.add("TP=" + tp);
            }
            if (pp > 1) {
                degrees.add("PP=" + pp);
            }
            if (replicas > 1) {
                degrees.add("DP=" + replicas);
            }
            return (degrees.isEmpty() ? "1 GPU" : String.join("·", degrees)) + " on " + gpu;
        }

        String key() {
            return gpu + "-tp" + tp + "-pp" + pp + "-dp" + replicas;
        }
    }

    /** How a scenario's answer compares its layouts on its headline column. */
    enum Comparison {
        /** first layout / this layout, for a time (lower is better). */
        SPEEDUP("speedup of %s over %s: "),
        /** this layout / first layout, for a count or rate (higher is better). */
        GAIN("%s relative to %s: "),
        /** the value itself, for every layout. */
        VALUE("%s: ");

        private final String phrase;

        Comparison(String phrase) {
            this.phrase = phrase;
        }

        String format(double value, double first) {
            return switch (this) {
                case SPEEDUP -> String.format(Locale.ROOT, "%.2f×", first / value);
                case GAIN -> String.format(Locale.ROOT, "%.2f×", value / first);
                case VALUE -> String.format(Locale.ROOT, "%.3f", value);
            };
        }
    }

    /**
     * One scenario of the study.
     *
     * @param key            id part of its cells, e.g. {@code compute_bound}
     * @param title          e.g. {@code compute-bound}
     * @param question       what it asks
     * @param model          catalog model
     * @param preset         workload preset
     * @param requests       requests per run (unless {@code --requests} is given)
     * @param rpsScale       arrival-rate multiplier (unless {@code --rps-scale} is given)
     * @param horizonSeconds simulated time every layout runs for; +∞ to run until every request has ended
     * @param headline       the column the answer compares
     * @param comparison     how the answer compares it
     * @param layouts        the layouts, the reference first
     */
    record Bottleneck(String key, String title, String question, String model, String preset, long requests,
                      double rpsScale, double horizonSeconds, String headline, Comparison comparison,
                      List<Layout> layouts) {
        String cellPrefix() {
            return "parallelism-" + key + "-";
        }
    }

    private static final String H100 = "H100-SXM";
    private static final String H200 = "H200";

    /** The scenarios, in the order of the results. */
    static final List<Bottleneck> BOTTLENECKS = List.of(
            new Bottleneck("compute_bound", "compute-bound",
                    "does tensor parallelism cut the time to first token of long prompts?",
                    "Llama-2-13B", "compute_bound", 1000, 1, Double.POSITIVE_INFINITY, "ttft_p50_s",
                    Comparison.SPEEDUP, List.of(new Layout(H100, 1, 1, 1), new Layout(H100, 2, 1, 1),
                    new Layout(H100, 4, 1, 1))),
            new Bottleneck("memory_bound", "memory-constrained",
                    "does splitting the weights over two 40 GB GPUs let more long generations finish in 300 s?",
                    "Llama-2-13B", "memory_bound", 1000, 1, 300, "completed",
                    Comparison.GAIN, List.of(new Layout("A100-40GB", 1, 1, 1), new Layout("A100-40GB", 1, 2, 1),
                    new Layout("A100-40GB", 2, 1, 1))),
            new Bottleneck("high_throughput", "high throughput",
                    "do data-parallel replicas multiply the throughput of short requests that saturate one GPU?",
                    "Llama-2-7B", "high_throughput", 5000, 5, Double.POSITIVE_INFINITY, "throughput_rps",
                    Comparison.GAIN, List.of(new Layout(H100, 1, 1, 1), new Layout(H100, 1, 1, 2),
                    new Layout(H100, 1, 1, 4))),
            new Bottleneck("large_model", "large model",
                    "which layouts hold GPT-3-175B's 326 GiB of weights, and how do they serve?",
                    "GPT-3-175B", "high_throughput", 500, 0.2, Double.POSITIVE_INFINITY, "throughput_rps",
                    Comparison.GAIN, List.of(new Layout(H100, 1, 1, 1), new Layout(H100, 4, 1, 1),
                    new Layout(H100, 1, 4, 1), new Layout(H100, 2, 2, 1), new Layout(H100, 8, 1, 1),
                    new Layout(H100, 4, 2, 1), new Layout(H200, 1, 1, 1), new Layout(H200, 4, 1, 1),
                    new Layout(H200, 1, 4, 1), new Layout(H200, 2, 2, 1))),
            new Bottleneck("utilisation", "utilisation",
                    "how evenly do four GPUs work under a steady load with TP, PP and DP?",
                    "Llama-2-13B", "high_throughput", 2000, 1, Double.POSITIVE_INFINITY, "gpu_balance",
                    Comparison.VALUE, List.of(new Layout(H100, 4, 1, 1), new Layout(H100, 1, 4, 1),
                    new Layout(H100, 2, 2, 1), new Layout(H100, 1, 1, 4))));

    @Override
    public String name() {
        return "parallelism";
    }

    @Override
    public String description() {
        return "which parallelism (TP, PP, DP) fits a compute, memory, throughput or model-size bottleneck";
    }

    @Override
    public String defaultWorkload() {
        return BOTTLENECKS.get(0).preset();
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        if (settings.model() != null) {
            throw new ConfigException("--model: the parallelism study chooses each scenario's model itself");
        }
        if (!template.workload().equals(Presets.load(defaultWorkload()))) {
            throw new ConfigException("workload: the parallelism study chooses each scenario's workload itself;"
                    + " give --requests or --rps-scale to resize them");
        }
        Scenario routed = template.withScheduling(new SchedulerChoice(template.scheduling().scheduler(),
                new RouterSpec.LeastLoaded()));
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int replications = settings.replicationsOr(1);
        for (Bottleneck b : BOTTLENECKS) {
            WorkloadSpec workload = Presets.load(b.preset())
                    .withRequests(settings.requests() != null ? settings.requests() : b.requests())
                    .withRpsScale(settings.rpsScale() != null ? settings.rpsScale() : b.rpsScale());
            EngineConfig engine = Double.isInfinite(b.horizonSeconds()) ? template.engine()
                    : withHorizon(template.engine(), b.horizonSeconds());
            for (Layout layout : b.layouts()) {
                DeploymentConfig deployment = deployment(template, b, layout);
                MemoryFit fit = deployment.resolve(deployment.loadCatalog()).memoryFit();
                if (fit instanceof MemoryFit.DoesNotFit) {
                    notes.add(b.title() + ", " + layout.describe() + ": not run: " + fit.describe());
                    continue;
                }
                Scenario scenario = routed.withDeployment(deployment).withEngine(engine).withWorkload(workload);
                for (int r = 0; r < replications; r++) {
                    cells.add(Cell.seeded(b.cellPrefix() + layout.key(), name(), b.title() + ": " + layout.describe(),
                            r, scenario, settings.seed()));
                }
            }
        }
        return new StudyDesign(cells, notes);
    }

    private static DeploymentConfig deployment(Scenario template, Bottleneck b, Layout layout) {
        return template.deployment().withModelAndGpu(b.model(), layout.gpu())
                .withParallelism(layout.tp(), layout.pp(), layout.replicas());
    }

    private static EngineConfig withHorizon(EngineConfig e, double horizonSeconds) {
        return new EngineConfig(e.maxNumSeqs(), e.maxNumBatchedTokens(), e.chunkedPrefill(), e.prefillChunkTokens(),
                e.maxQueueLength(), e.queueTimeoutSeconds(), horizonSeconds, e.fastForward());
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        List<ConfigurationMeans> configurations = ConfigurationMeans.of(cells);
        for (Bottleneck b : BOTTLENECKS) {
            out.printf(Locale.ROOT, "  %s: %s%n", b.title(), b.question());
            out.printf(Locale.ROOT, "    %-24s %4s %10s %8s %9s %8s %9s %9s %6s %13s %7s %6s%n", "layout", "GPUs",
                    "KV/replica", "offered", "completed", "req/s", "TTFT p50", "TPOT p50", "util", "util min–max",
                    "balance", "comm");
            List<ConfigurationMeans> rows = configurations.stream()
                    .filter(c -> c.configKey().startsWith(b.cellPrefix())).toList();
            for (ConfigurationMeans c : rows) {
                out.printf(Locale.ROOT, "    %-24s %4s %10d %8.2f %9.0f %8.2f %8.3fs %8.4fs %5.1f%% %5.1f–%5.1f%% %7.3f %5.1f%%%n",
                        layout(c), c.rows().get(0).get("gpus"), fit(cells, c).tokens(), c.mean("offered_rps"),
                        c.mean("completed"), c.mean("throughput_rps"), c.mean("ttft_p50_s"), c.mean("tpot_p50_s"),
                        100 * c.mean("gpu_util_mean"), 100 * c.mean("gpu_util_min"), 100 * c.mean("gpu_util_max"),
                        c.mean("gpu_balance"), 100 * c.mean("gpu_comm_fraction"));
            }
            // where some layouts do not fit, the arithmetic of those that do shows how close each came
            if (b.layouts().size() > rows.size()) {
                rows.forEach(c -> out.printf(Locale.ROOT, "    %s: fits: %s%n", layout(c), fit(cells, c).describe()));
            }
            design.notes().stream().filter(note -> note.startsWith(b.title() + ", "))
                    .forEach(note -> out.println("    " + note.substring(b.title().length() + 2)));
            if (rows.size() > 1) {
                out.println("    answer: " + answer(b, rows));
            }
        }
    }

    private static String layout(ConfigurationMeans c) {
        return c.label().substring(c.label().indexOf(": ") + 2);
    }

    /** The memory fit of a configuration that ran (so its weights fit). */
    private static MemoryFit.Fits fit(List<FinishedCell> cells, ConfigurationMeans c) {
        DeploymentConfig deployment = cells.stream().filter(f -> f.cell().id().startsWith(c.configKey() + "-r"))
                .findFirst().orElseThrow().cell().scenario().deployment();
        return deployment.resolve(deployment.loadCatalog()).memoryFit().orThrow();
    }

    private static String answer(Bottleneck b, List<ConfigurationMeans> rows) {
        ConfigurationMeans first = rows.get(0);
        double reference = first.mean(b.headline());
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, b.comparison().phrase, b.headline(),
                layout(first)));
        List<ConfigurationMeans> compared = b.comparison() == Comparison.VALUE ? rows : rows.subList(1, rows.size());
        for (int i = 0; i < compared.size(); i++) {
            ConfigurationMeans c = compared.get(i);
            text.append(i == 0 ? "" : ", ").append(layout(c)).append(' ')
                    .append(b.comparison().format(c.mean(b.headline()), reference));
        }
        return text.toString();
    }

    @Override
    public List<Path> writeTables(PlanFolder folder, List<FinishedCell> cells) {
        return List.of(GpuUsageCsv.write(folder, GPUS_FILE, cells));
    }
}
