package io.servesim.experiments.cli;

import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.capacity.CapacityReport;
import io.servesim.experiments.output.OutputFolder;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.Shard;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.search.BatchLimit;
import io.servesim.experiments.search.CandidateResult;
import io.servesim.experiments.search.CandidateResult.Verdict;
import io.servesim.experiments.search.DeploymentSearch;
import io.servesim.experiments.search.GpuPrices;
import io.servesim.experiments.search.RecordedCapacities;
import io.servesim.experiments.search.SearchReport;
import io.servesim.experiments.search.SearchSettings;
import io.servesim.experiments.search.SearchSpace;
import io.servesim.workloads.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code servesim search --config base.yaml --target-rps R}: the cheapest deployment of the scenario's model that
 * serves its workload at R requests per second within the SLA, over GPU types × tp × pp × ep × replicas × schedulers
 * × batch limits × chunked prefill (docs/search.md). Every flag, the catalog names and the prices are checked before
 * the first simulation.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Find the cheapest deployment that serves a target rate within the SLA.")
public final class SearchCommand implements Callable<Integer> {
    /** Capacity searches between two progress lines. */
    private static final int PROGRESS_EVERY = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Base scenario (YAML or JSON): the model, workload with its SLA, router and topology.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the base scenario (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--target-rps", paramLabel = "R", description = "Arrival rate to serve, req/s: the search finds"
            + " the cheapest candidate that serves it (or give --maximise).")
    Double targetRps;

    @Option(names = "--maximise", description = "No target rate: find the candidate with the highest capacity under the"
            + " SLA (within --budget-usd-per-hour; with --exhaustive, every candidate's capacity).")
    boolean maximise;

    @Option(names = "--budget-usd-per-hour", paramLabel = "USD", description = "Prune candidates costing more per hour"
            + " (default: no budget).")
    Double budget;

    @Option(names = "--gpus", split = ",", paramLabel = "NAMES", description = "GPU types (default: A100-80GB,H100-SXM,H200).")
    List<String> gpus = List.of("A100-80GB", "H100-SXM", "H200");

    @Option(names = "--tp", split = ",", paramLabel = "N", description = "Tensor-parallel degrees (default: 1,2,4,8).")
    List<Integer> tp = List.of(1, 2, 4, 8);

    @Option(names = "--pp", split = ",", paramLabel = "N", description = "Pipeline-parallel degrees (default: 1,2,4).")
    List<Integer> pp = List.of(1, 2, 4);

    @Option(names = "--ep", split = ",", paramLabel = "N",
            description = "Expert-parallel degrees, for a mixture-of-experts model (default: 1).")
    List<Integer> ep = List.of(1);

    @Option(names = "--max-replicas", paramLabel = "N", description = "Most replicas (default: ${DEFAULT-VALUE}).")
    int maxReplicas = 16;

    @Option(names = "--schedulers", split = ",", paramLabel = "NAMES",
            description = "Batching policies (default: continuous,dynamic,multi_bin).")
    List<String> schedulers = List.of("continuous", "dynamic", "multi_bin");

    @Option(names = "--batch-limits", split = ",", paramLabel = "SEQS:TOKENS",
            description = "max_num_seqs:max_num_batched_tokens pairs (default: 64:4096,256:8192,512:16384).")
    List<String> batchLimits = List.of("64:4096", "256:8192", "512:16384");

    @Option(names = "--chunked-prefill", split = ",", arity = "1", paramLabel = "BOOL",
            description = "Chunked prefill off and/or on (default: false,true).")
    List<Boolean> chunkedPrefill = List.of(false, true);

    @Option(names = "--requests", paramLabel = "N", description = "Requests per probe (default: ${DEFAULT-VALUE}).")
    long requests = 1000;

    @Option(names = "--target", paramLabel = "F", description = "Goodput fraction to reach (default: ${DEFAULT-VALUE}).")
    double target = CapacityOptions.DEFAULT_TARGET;

    @Option(names = "--tolerance", paramLabel = "F", description = "Relative precision of each capacity (default: ${DEFAULT-VALUE}).")
    double tolerance = CapacityOptions.DEFAULT_TOLERANCE;

    @Option(names = "--exhaustive", description = "Simulate every candidate the analytic bounds leave, even those dearer"
            + " than one that meets the target (fuller frontiers, longer search).")
    boolean exhaustive;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "CSV gpu,usd_per_gpu_hour,source,as_of replacing rows of the bundled price table.")
    Path prices;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the processors).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/search-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the search in DIR: candidates with a record"
            + " there (capacity/<id>.json) are not searched again.")
    Path resume;

    @Option(names = "--shard", paramLabel = "I/N", description = "Simulate only the candidates of shard I of N (the"
            + " k-th GPU type and parallel layout in shard k mod N) and write their records; servesim merge builds the"
            + " search's files from the folders of all N (docs/cluster.md).")
    String shard;

    @Option(names = "--records-only", description = "Simulate nothing: build the files of --resume DIR from the"
            + " records it holds (what servesim merge runs).")
    boolean recordsOnly;

    @Override
    public Integer call() {
        Scenario base = Scenario.read(config, overrides);
        List<BatchLimit> limits = batchLimits.stream().map(BatchLimit::parse).toList();
        SearchSpace space = new SearchSpace(gpus, tp, pp, ep, maxReplicas, schedulers, limits, chunkedPrefill);
        CapacityOptions capacity = new CapacityOptions(target, tolerance, requests, null,
                CapacityOptions.DEFAULT_MAX_PROBES);
        Shard part = ShardFlags.check(shard, recordsOnly, resume);
        if (resume != null && out != null) {
            throw new UserInputException("give either --resume DIR (continue that folder) or --out DIR, not both");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new UserInputException("--resume " + resume + ": no such folder");
        }
        if ((targetRps == null) == !maximise) {
            throw new UserInputException("give either --target-rps R (the cheapest candidate serving R req/s) or"
                    + " --maximise (the highest capacity), not " + (maximise ? "both" : "neither"));
        }
        // records only reads the records in the order of a strict run: one thread
        int workers = recordsOnly ? 1 : threads != null ? threads : Runtime.getRuntime().availableProcessors();
        double budgetUsd = budget != null ? budget : Double.POSITIVE_INFINITY;
        SearchSettings settings = maximise ? SearchSettings.maximising(budgetUsd, capacity, workers)
                : new SearchSettings(targetRps, false, budgetUsd, capacity, workers);
        GpuPrices table = GpuPrices.load(Optional.ofNullable(prices));
        Path dir = resume != null ? resume : out != null ? out : ResultFolders.timestamped("search");
        PlanFolder folder = new PlanFolder(dir);
        DeploymentSearch search = new DeploymentSearch(base, space, table, settings, exhaustive, part,
                new RecordedCapacities(folder, resume != null, recordsOnly));
        OutputFolder.requireWritable(resume != null ? "--resume" : "--out", dir);
        if (resume != null) {
            folder.requireShard(part);
        }
        folder.markIncomplete("This folder is not finished: the search writing it was interrupted, failed or is still"
                + " running. Run the same command with --resume " + dir + " instead of --out to finish it.");
        PlanRunner.Mode mode = ShardFlags.mode(part, recordsOnly, spec.commandLine().getParseResult().originalArgs());
        if (mode.manifest() != null) {
            folder.writeShardManifest(mode.manifest());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "ServeSim search: %s on %s, %s at %.1f %% goodput%s, %d candidates"
                        + " (%d shapes × up to %d replicas), %d requests per probe%n",
                base.deployment().model(), String.join(", ", gpus), maximise ? "the highest capacity"
                        : String.format(Locale.ROOT, "target %.3f req/s", targetRps), 100 * target,
                budget == null ? "" : String.format(Locale.ROOT, " within %.2f USD per hour", budget), space.size(),
                space.shapes().size(), maxReplicas, search.sample().size());
        long start = System.nanoTime();
        AtomicLong simulated = new AtomicLong();
        List<CandidateResult> results = search.run(candidate -> {
            long done = simulated.incrementAndGet();
            if (done % PROGRESS_EVERY == 0) {
                w.printf(Locale.ROOT, "  %4d capacity searches, the latest at %.2f USD per hour%n", done,
                        candidate.usdPerHour());
                w.flush();
            }
        });
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        if (part.partial()) {
            return PlanLaunch.shardFinished(w, folder, part, String.format(Locale.ROOT, "%d candidates decided, %d"
                    + " capacity searches in %.1f s", results.size(), simulated.get(), wallSeconds));
        }
        SearchReport report = new SearchReport(results, settings.targetRps(), maximise,
                search.sample().meanOutputTokens());
        report.write(dir, base, summary(base, space, table, settings));
        print(w, report, base, wallSeconds, dir);
        folder.markComplete();
        return 0;
    }

    private Map<String, Object> summary(Scenario base, SearchSpace space, GpuPrices table, SearchSettings settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", base.deployment().model());
        json.put("target_rps", settings.targetRps());
        json.put("maximise", settings.maximise());
        json.put("budget_usd_per_hour", settings.budgetUsdPerHour());
        json.put("target_goodput_fraction", settings.capacity().targetGoodputFraction());
        json.put("relative_tolerance", settings.capacity().relativeTolerance());
        json.put("requests_per_probe", settings.capacity().requests());
        json.put("seed", base.seed());
        json.put("sla", CapacityReport.slas(Workload.compile(base.workload()).profileInfos()));
        json.put("space", space);
        json.put("prices", space.gpus().stream().map(table::of).toList());
        json.put("base_scenario", base.toTree());
        return json;
    }

    private void print(PrintWriter w, SearchReport report, Scenario base, double wallSeconds, Path dir) {
        Map<Verdict, Long> counts = report.counts();
        long analytic = counts.get(Verdict.PRUNED_MEMORY) + counts.get(Verdict.PRUNED_LATENCY_FLOOR)
                + counts.get(Verdict.PRUNED_THROUGHPUT_BOUND);
        w.printf(Locale.ROOT, "  candidates %d: pruned analytically %d (memory %d, latency floor %d, throughput bound %d),"
                        + " pruned on cost %d, dominated %d, invalid %d; simulated %d (%d probes) in %.1f s%n",
                report.candidates().size(), analytic, counts.get(Verdict.PRUNED_MEMORY),
                counts.get(Verdict.PRUNED_LATENCY_FLOOR), counts.get(Verdict.PRUNED_THROUGHPUT_BOUND),
                counts.get(Verdict.PRUNED_COST), counts.get(Verdict.DOMINATED), counts.get(Verdict.INVALID),
                counts.get(Verdict.SIMULATED), report.probes(), wallSeconds);
        Optional<CandidateResult> best = report.recommendation();
        if (best.isEmpty() && maximise) {
            w.printf(Locale.ROOT, "  no candidate passes any probe within the SLA; widen the space (--gpus, --tp,"
                    + " --budget-usd-per-hour) or relax the SLA%n");
        } else if (best.isEmpty()) {
            w.printf(Locale.ROOT, "  no candidate serves %.3f req/s within the SLA; widen the space (--max-replicas,"
                    + " --gpus) or lower --target-rps%n", targetRps);
        } else {
            CandidateResult c = best.get();
            w.printf(Locale.ROOT, "  recommended %s: %d × %s (tp %d, pp %d, ep %d), %s, max_num_seqs %d,"
                            + " max_num_batched_tokens %d, chunked prefill %s%n", c.id(), c.gpus(), c.shape().gpu(),
                    c.shape().tp(), c.shape().pp(), c.shape().ep(), c.shape().scheduler(), c.shape().limit().maxNumSeqs(),
                    c.shape().limit().maxNumBatchedTokens(), c.shape().chunkedPrefill() ? "on" : "off");
            if (maximise) {
                w.printf(Locale.ROOT, "  capacity    %.3f req/s (%.3f fails), the highest of the space%s%n",
                        c.capacityRps(), c.capacity().lowestFailingRps(), budget == null ? ""
                                : String.format(Locale.ROOT, " within %.2f USD per hour", budget));
                w.printf(Locale.ROOT, "  cost        %.2f USD per hour, %.3f USD per million output tokens at capacity%n",
                        c.usdPerHour(), report.usdPerMillionOutputTokens(c.usdPerHour(), c.capacityRps()));
            } else {
                w.printf(Locale.ROOT, "  capacity    %.3f req/s (%.3f fails) for a target of %.3f: margin %+.1f %%%n",
                        c.capacityRps(), c.capacity().lowestFailingRps(), targetRps,
                        100 * (c.capacityRps() / targetRps - 1));
                w.printf(Locale.ROOT, "  cost        %.2f USD per hour, %.3f USD per million output tokens at the"
                        + " target%n", c.usdPerHour(), report.usdPerMillionOutputTokens(c.usdPerHour(), targetRps));
            }
            c.capacity().slas().forEach(p -> w.printf(Locale.ROOT,
                    "  SLA         %s: TTFT %.3f s and TPOT %.3f s for %.1f %% of requests%n", p.name(),
                    p.sla().ttftSeconds(), p.sla().tpotSeconds(), 100 * target));
            w.printf(Locale.ROOT, "  re-check    servesim capacity --config %s --requests %d%n",
                    dir.resolve(SearchReport.RECOMMENDED), requests);
        }
        w.println("  wrote       " + dir.resolve(SearchReport.CANDIDATES) + ", " + SearchReport.PARETO_COST + ", "
                + SearchReport.PARETO_LATENCY + ", " + SearchReport.SUMMARY + ", figures/");
    }
}
