package io.servesim.experiments.search;

import io.servesim.analysis.figures.FigureRenderer;
import io.servesim.analysis.figures.FrontierFigure;
import io.servesim.experiments.output.StrictJson;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.scenario.Scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a search leaves in its folder, every file written atomically and the same bytes for the same seed:
 * {@value #CANDIDATES} (every candidate, its verdict, bound, capacity and costs), the two Pareto frontiers as CSV and
 * figures ({@value #PARETO_COST}, {@value #PARETO_LATENCY}), {@value #RECOMMENDED} (the recommended deployment as a
 * scenario that {@code servesim capacity --config} re-checks) and {@value #SUMMARY} (settings, prices and their
 * sources, counts, the SLA and the recommendation).
 */
public final class SearchReport {
    public static final String CANDIDATES = "search_candidates.csv";
    public static final String PARETO_COST = "search_pareto_cost_capacity.csv";
    public static final String PARETO_LATENCY = "search_pareto_latency_throughput.csv";
    public static final String RECOMMENDED = "recommended_scenario.json";
    public static final String SUMMARY = "search.json";
    static final List<String> COLUMNS = List.of("candidate_id", "gpu", "tp", "pp", "ep", "replicas", "gpus", "scheduler",
            "max_num_seqs", "max_num_batched_tokens", "chunked_prefill", "verdict", "reason", "bound_rps", "capacity_rps",
            "capacity_status", "lowest_failing_rps", "probes", "ttft_p95_s_at_capacity", "usd_per_hour",
            "usd_per_m_output_tokens_at_target", "usd_per_m_output_tokens_at_capacity", "meets_target");
    private static final double SECONDS_PER_HOUR = 3600;

    private final List<CandidateResult> candidates;
    private final double targetRps;
    private final boolean maximise;
    private final double meanOutputTokens;

    /**
     * @param candidates       every candidate, in search order
     * @param targetRps        the target arrival rate
     * @param meanOutputTokens mean output tokens per request of the probes' requests (for the cost per token)
     */
    public SearchReport(List<CandidateResult> candidates, double targetRps, double meanOutputTokens) {
        this(candidates, targetRps, false, meanOutputTokens);
    }

    /**
     * @param maximise the search looked for the highest capacity ({@code targetRps} is then NaN)
     */
    public SearchReport(List<CandidateResult> candidates, double targetRps, boolean maximise, double meanOutputTokens) {
        this.candidates = List.copyOf(candidates);
        this.targetRps = targetRps;
        this.maximise = maximise;
        this.meanOutputTokens = meanOutputTokens;
    }

    public List<CandidateResult> candidates() {
        return candidates;
    }

    /** Candidates with each verdict, in the order of {@link CandidateResult.Verdict}. */
    public Map<CandidateResult.Verdict, Long> counts() {
        Map<CandidateResult.Verdict, Long> counts = new TreeMap<>();
        for (CandidateResult.Verdict v : CandidateResult.Verdict.values()) {
            counts.put(v, candidates.stream().filter(c -> c.verdict() == v).count());
        }
        return counts;
    }

    /** Probes simulated over all capacity searches. */
    public long probes() {
        return candidates.stream().filter(CandidateResult::simulated).mapToLong(c -> c.capacity().probes().size()).sum();
    }

    /**
     * The cheapest simulated candidate that meets the target (ties: the higher capacity, then the first); when
     * maximising, the simulated candidate with the highest capacity (ties: the cheaper, then the first).
     */
    public Optional<CandidateResult> recommendation() {
        if (maximise) {
            return candidates.stream().filter(c -> c.simulated() && c.capacityRps() > 0)
                    .min(Comparator.comparingDouble(CandidateResult::capacityRps).reversed()
                            .thenComparingDouble(CandidateResult::usdPerHour));
        }
        return candidates.stream().filter(c -> c.meets(targetRps))
                .min(Comparator.comparingDouble(CandidateResult::usdPerHour)
                        .thenComparing(Comparator.comparingDouble(CandidateResult::capacityRps).reversed()));
    }

    /** Simulated candidates nobody beats on both lower cost per hour and higher capacity. */
    public List<CandidateResult> costCapacityFrontier() {
        return ParetoFrontier.of(simulated(), CandidateResult::usdPerHour, CandidateResult::capacityRps);
    }

    /** Simulated candidates nobody beats on both lower TTFT p95 at capacity and higher capacity. */
    public List<CandidateResult> latencyThroughputFrontier() {
        return ParetoFrontier.of(simulated(), CandidateResult::ttftP95AtCapacitySeconds, CandidateResult::capacityRps);
    }

    private List<CandidateResult> simulated() {
        return candidates.stream().filter(c -> c.simulated() && c.capacityRps() > 0).toList();
    }

    /** US dollars per million output tokens when serving {@code rps} on a deployment costing {@code usdPerHour}. */
    public double usdPerMillionOutputTokens(double usdPerHour, double rps) {
        return rps > 0 ? usdPerHour / (rps * meanOutputTokens * SECONDS_PER_HOUR) * 1e6 : Double.NaN;
    }

    /** Writes every file into {@code dir}. {@code summary} is put into {@value #SUMMARY} before the counts. */
    public void write(Path dir, Scenario base, Map<String, Object> summary) {
        ResultsCsv.write(dir.resolve(CANDIDATES), COLUMNS, candidates.stream().map(this::row).toList());
        ResultsCsv.write(dir.resolve(PARETO_COST), COLUMNS, costCapacityFrontier().stream().map(this::row).toList());
        ResultsCsv.write(dir.resolve(PARETO_LATENCY), COLUMNS,
                latencyThroughputFrontier().stream().map(this::row).toList());
        Map<String, Object> json = new LinkedHashMap<>(summary);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts().forEach((v, n) -> counts.put(v.name().toLowerCase(Locale.ROOT), n));
        json.put("candidates", candidates.size());
        json.put("verdicts", counts);
        json.put("probes", probes());
        Optional<CandidateResult> best = recommendation();
        json.put("recommendation", best.map(c -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("candidate_id", c.id());
            r.put("capacity_rps", c.capacityRps());
            if (!maximise) {
                r.put("margin", c.capacityRps() / targetRps - 1);
            }
            r.put("usd_per_hour", c.usdPerHour());
            if (maximise) {
                r.put("usd_per_m_output_tokens_at_capacity", usdPerMillionOutputTokens(c.usdPerHour(), c.capacityRps()));
            } else {
                r.put("usd_per_m_output_tokens_at_target", usdPerMillionOutputTokens(c.usdPerHour(), targetRps));
            }
            return r;
        }).orElse(null));
        StrictJson.write(dir.resolve(SUMMARY), json);
        best.ifPresent(c -> StrictJson.write(dir.resolve(RECOMMENDED),
                c.shape().scenario(base, c.replicas()).toTree()));
        figures(dir);
    }

    private void figures(Path dir) {
        FigureRenderer renderer = new FigureRenderer(dir.resolve(FigureRenderer.FOLDER));
        Map<String, List<CandidateResult>> byGpu = new LinkedHashMap<>();
        for (CandidateResult c : simulated()) {
            byGpu.computeIfAbsent(c.shape().gpu(), k -> new ArrayList<>()).add(c);
        }
        List<FrontierFigure.Group> cost = new ArrayList<>();
        List<FrontierFigure.Group> latency = new ArrayList<>();
        byGpu.forEach((gpu, list) -> {
            cost.add(new FrontierFigure.Group(gpu, list.stream().mapToDouble(CandidateResult::usdPerHour).toArray(),
                    list.stream().mapToDouble(CandidateResult::capacityRps).toArray()));
            latency.add(new FrontierFigure.Group(gpu, list.stream().mapToDouble(CandidateResult::capacityRps).toArray(),
                    list.stream().mapToDouble(CandidateResult::ttftP95AtCapacitySeconds).toArray()));
        });
        List<CandidateResult> costFrontier = costCapacityFrontier();
        FrontierFigure.render(renderer, "search", "search_cost_capacity", "Capacity under the SLA against cost",
                "Cost (USD per hour)", "Capacity (req/s)", cost,
                costFrontier.stream().mapToDouble(CandidateResult::usdPerHour).toArray(),
                costFrontier.stream().mapToDouble(CandidateResult::capacityRps).toArray(),
                "Each marker is a simulated deployment; the line joins those no other beats on both cost and capacity.");
        List<CandidateResult> latencyFrontier = latencyThroughputFrontier();
        FrontierFigure.render(renderer, "search", "search_latency_throughput", "TTFT at capacity against capacity",
                "Capacity (req/s)", "TTFT p95 at capacity (s)", latency,
                latencyFrontier.stream().mapToDouble(CandidateResult::capacityRps).toArray(),
                latencyFrontier.stream().mapToDouble(CandidateResult::ttftP95AtCapacitySeconds).toArray(),
                "Each marker is a simulated deployment at its capacity; the line joins those no other beats on both"
                        + " higher capacity and lower TTFT p95.");
    }

    private List<String> row(CandidateResult c) {
        ReplicaShape s = c.shape();
        boolean sim = c.simulated();
        double capacity = c.capacityRps();
        return List.of(c.id(), s.gpu(), str(s.tp()), str(s.pp()), str(s.ep()), str(c.replicas()), str(c.gpus()),
                s.scheduler(), str(s.limit().maxNumSeqs()), str(s.limit().maxNumBatchedTokens()),
                String.valueOf(s.chunkedPrefill()), c.verdict().name().toLowerCase(Locale.ROOT), c.reason(),
                num(c.boundRps()), num(capacity), sim ? c.capacity().status().name() : "",
                sim ? num(c.capacity().lowestFailingRps()) : "", sim ? str(c.capacity().probes().size()) : "",
                num(c.ttftP95AtCapacitySeconds()), num(c.usdPerHour()),
                c.meets(targetRps) ? num(usdPerMillionOutputTokens(c.usdPerHour(), targetRps)) : "",
                sim ? num(usdPerMillionOutputTokens(c.usdPerHour(), capacity)) : "",
                sim && !maximise ? String.valueOf(c.meets(targetRps)) : "");
    }

    private static String str(int value) {
        return Integer.toString(value);
    }

    private static String num(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "";
    }
}
