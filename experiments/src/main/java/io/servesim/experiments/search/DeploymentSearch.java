package io.servesim.experiments.search;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.config.ConfigException;
import io.servesim.core.memory.MemoryFit;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.capacity.CapacitySearch.WarmStart;
import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.Shard;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.search.CandidateResult.Verdict;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The cheapest deployment of a scenario's model that serves its workload at a target rate within its SLA, found by
 * pruning a {@link SearchSpace} analytically and searching the capacity of what survives.
 *
 * <p>First, analytically, each candidate (a {@link ReplicaShape} with a replica count) is invalid for the model,
 * pruned when its weights do not fit, pruned when its latency floors leave fewer requests able to meet the SLA than
 * the goodput target ({@link ServiceBounds#feasibleFraction}), or pruned when no probe at or above the target can pass
 * ({@link ServiceBounds#maxPassingRps}), skipped when the scenario leaves warm-up arrivals out of its figures. Then the
 * survivors are simulated ({@link CapacitySearch}, on the same requests and seed for every candidate) in chains, one
 * per group (same GPU type and parallel layout), each cheapest first; chains run side by side on the threads, the
 * cheapest waiting candidate first. A candidate is skipped as dominated when the same shape with fewer replicas
 * already meets the target, and pruned on cost when it costs more than a candidate that meets the target: it can be
 * neither the recommendation nor cheaper on the cost–capacity frontier than that candidate ({@code exhaustive}
 * simulates them anyway).
 *
 * <p>Capacity searches reuse what earlier ones learnt: each starts warm at the capacity its bound predicts with the
 * ratio capacity / bound of the search before it in its chain, with a 15 % first step. The verdicts are those of a
 * run in strict order of cost (a search that ran while a cheaper candidate meeting the target was not yet known is
 * dropped), so the result depends neither on the threads nor on how the groups are split into shards: the search is
 * deterministic for a seed, and the shards of a search (the k-th group in space order in shard k mod N) merge into it.
 */
public final class DeploymentSearch {
    /** Capacity / bound assumed for a group's first search. */
    static final double FIRST_EFFICIENCY = 0.5;
    /** First bracketing step of a group's first search, and of the warm searches after it. */
    static final double FIRST_STEP = 0.5;
    static final double WARM_STEP = 0.15;

    private final Scenario base;
    private final SearchSpace space;
    private final GpuPrices prices;
    private final SearchSettings settings;
    private final boolean exhaustive;
    private final Shard shard;
    private final CapacityFinder finder;
    /** The throughput bounds hold for probes that count every arrival: not when warm-up arrivals are left out. */
    private final boolean boundsHold;
    private final Catalog catalog;
    private final RequestSample sample;
    private final double baseRps;
    private final double ratePerScale;

    /**
     * @param exhaustive simulate every candidate the analytic bounds leave, however dear (no dominance or cost pruning)
     */
    public DeploymentSearch(Scenario base, SearchSpace space, GpuPrices prices, SearchSettings settings,
                            boolean exhaustive) {
        this(base, space, prices, settings, exhaustive, Shard.WHOLE,
                (id, scenario, options, start) -> CapacitySearch.find(scenario, options, start, probe -> { }));
    }

    /**
     * @param shard  the groups (GPU type, tp, pp, ep) whose candidates this run simulates: the k-th group in space
     *               order belongs to shard k mod N
     * @param finder how a candidate's capacity is found (e.g. with records, {@link RecordedCapacities})
     */
    public DeploymentSearch(Scenario base, SearchSpace space, GpuPrices prices, SearchSettings settings,
                            boolean exhaustive, Shard shard, CapacityFinder finder) {
        this.shard = shard;
        this.finder = finder;
        this.boundsHold = base.metrics().warmupFraction() == 0;
        this.base = base;
        this.space = space;
        this.prices = prices;
        this.settings = settings;
        this.exhaustive = exhaustive;
        this.catalog = base.deployment().loadCatalog();
        WorkloadSpec probe = base.workload().withRequests(settings.capacity().requests());
        this.sample = RequestSample.of(probe, base.seed());
        ConfigException.require(sample.size() > 0, "workload", "must yield at least one request", 0);
        this.baseRps = Workload.compile(probe).requestRatePerSecond();
        this.ratePerScale = baseRps / probe.rpsScale();
        for (String gpu : space.gpus()) {
            catalog.gpu(gpu);
            prices.of(gpu);
        }
    }

    /** The requests every probe serves. */
    public RequestSample sample() {
        return sample;
    }

    /** A candidate the analytic pass left: its shape, replicas, cost, bound and group. */
    private record Pending(int order, ReplicaShape shape, int replicas, double usdPerHour, double boundRps,
                           String group) {
        String id() {
            return shape.candidateId(replicas);
        }

        /** The bound as a ceiling on the capacity: none (infinite) where it was not computed. */
        double pruningBound() {
            return Double.isFinite(boundRps) ? boundRps : Double.POSITIVE_INFINITY;
        }
    }

    /** Cheapest first; ties in space order. */
    private static final Comparator<Pending> CHEAPEST = Comparator.comparingDouble(Pending::usdPerHour)
            .thenComparingInt(Pending::order);
    /** Highest throughput bound first (no bound: first of all); ties cheapest first, then in space order. */
    private static final Comparator<Pending> HIGHEST_BOUND = Comparator.comparingDouble((Pending p) -> -p.pruningBound())
            .thenComparing(CHEAPEST);

    /** Finds a candidate's capacity: a capacity search, or its record. */
    @FunctionalInterface
    public interface CapacityFinder {
        CapacityResult find(String candidateId, Scenario scenario, CapacityOptions options, WarmStart start);
    }

    /**
     * Runs the search; {@code onSimulated} hears of each capacity search as it ends (on the calling thread). Returns
     * every candidate in space order, or with a partial shard the candidates it decided (the analytically pruned and
     * those of its groups).
     */
    public List<CandidateResult> run(Consumer<CandidateResult> onSimulated) {
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "servesim-search");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<ReplicaShape> shapes = space.shapes();
            List<Future<List<CandidateResult>>> analytic = new ArrayList<>();
            for (ReplicaShape shape : shapes) {
                analytic.add(pool.submit(() -> analyse(shape)));
            }
            Map<String, CandidateResult> decided = new LinkedHashMap<>();
            List<Pending> pending = new ArrayList<>();
            int order = 0;
            for (Future<List<CandidateResult>> future : analytic) {
                for (CandidateResult c : PlanRunner.await(future, "a search group")) {
                    if (c.verdict() == Verdict.SIMULATED) {
                        pending.add(new Pending(order, c.shape(), c.replicas(), c.usdPerHour(), c.boundRps(),
                                group(c.shape())));
                    } else {
                        decided.put(c.id(), c);
                    }
                    order++;
                }
            }
            pending.sort(settings.maximise() ? HIGHEST_BOUND : CHEAPEST);
            simulateInChains(pending, decided, pool, onSimulated);
            List<CandidateResult> all = new ArrayList<>();
            for (ReplicaShape shape : shapes) {
                for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
                    CandidateResult c = decided.get(shape.candidateId(replicas));
                    if (c != null) {   // a shard decides only the candidates of its groups
                        all.add(c);
                    }
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Simulates the pending candidates of the groups this shard owns: each group is a chain, cheapest first, whose
     * searches run one after another (each starts warm from the one before it); chains run side by side, the cheapest
     * head first. A head is skipped as dominated, or pruned on cost with the rest of its chain, by what the run has
     * found so far. Then the verdicts are made what a run in strict order of cost would give ({@link #settle}), so they
     * do not depend on the threads, nor on which other groups a shard ran.
     */
    private void simulateInChains(List<Pending> pending, Map<String, CandidateResult> decided, ExecutorService pool,
                                  Consumer<CandidateResult> onSimulated) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (ReplicaShape shape : space.shapes()) {
            groups.putIfAbsent(group(shape), groups.size());
        }
        Map<String, Deque<Pending>> chains = new LinkedHashMap<>();
        for (Pending p : pending) {
            if (shard.owns(groups.get(p.group()))) {
                chains.computeIfAbsent(p.group(), g -> new ArrayDeque<>()).add(p);
            }
        }
        Map<String, Double> efficiency = new HashMap<>();
        Map<ReplicaShape, Integer> meetsWith = new HashMap<>();
        double cheapestMeeting = Double.POSITIVE_INFINITY;
        double highestCapacity = 0;
        Comparator<Pending> order = settings.maximise() ? HIGHEST_BOUND : CHEAPEST;
        Map<String, Pending> running = new HashMap<>();
        CompletionService<CandidateResult> finished = new ExecutorCompletionService<>(pool);
        while (true) {
            while (running.size() < settings.threads()) {
                Pending next = null;
                for (Deque<Pending> chain : chains.values()) {
                    Pending head = chain.peekFirst();
                    if (head != null && !running.containsKey(head.group()) && (next == null || order.compare(head, next) < 0)) {
                        next = head;
                    }
                }
                if (next == null) {
                    break;
                }
                Deque<Pending> chain = chains.get(next.group());
                Integer fewer = meetsWith.get(next.shape());
                if (!exhaustive && boundsHold && settings.maximise() && next.pruningBound() < highestCapacity) {
                    for (Pending p : chain) {   // the rest of the chain has bounds as low or lower
                        decided.put(p.id(), belowHighest(p, highestCapacity));
                    }
                    chain.clear();
                } else if (!exhaustive && fewer != null && fewer < next.replicas()) {
                    chain.pollFirst();
                    decided.put(next.id(), dominated(next, fewer));
                } else if (!exhaustive && next.usdPerHour() > cheapestMeeting) {
                    for (Pending p : chain) {   // the rest of the chain costs as much or more
                        decided.put(p.id(), prunedOnCost(p, cheapestMeeting));
                    }
                    chain.clear();
                } else {
                    chain.pollFirst();
                    Pending candidate = next;
                    double ratio = efficiency.getOrDefault(candidate.group(), Double.NaN);
                    running.put(candidate.group(), candidate);
                    finished.submit(() -> simulate(candidate, ratio));
                }
            }
            if (running.isEmpty()) {
                break;
            }
            CandidateResult result = PlanRunner.await(take(finished), "a capacity search");
            Pending p = running.remove(group(result.shape()));
            decided.put(result.id(), result);
            double rps = result.capacityRps();
            if (rps > 0 && Double.isFinite(p.boundRps())) {
                efficiency.put(p.group(), rps / p.boundRps());
            }
            if (rps > highestCapacity) {
                highestCapacity = rps;
            }
            if (result.meets(settings.targetRps())) {
                meetsWith.merge(p.shape(), p.replicas(), Math::min);
                cheapestMeeting = Math.min(cheapestMeeting, p.usdPerHour());
            }
            onSimulated.accept(result);
        }
        if (!exhaustive && boundsHold && settings.maximise()) {
            settleHighest(pending, decided);
        } else if (!exhaustive) {
            settle(pending, decided);
        }
    }

    /**
     * The verdicts of a maximising run that took the candidates strictly in order of their bounds, highest first: with
     * H the highest capacity found, every candidate whose bound is below H is pruned (no probe of it above its bound can
     * pass), and every other one is simulated — its chain ran as in strict order, since a capacity never exceeds its
     * bound.
     */
    private void settleHighest(List<Pending> pending, Map<String, CandidateResult> decided) {
        double highest = 0;
        for (Pending p : pending) {
            CandidateResult result = decided.get(p.id());
            if (result != null && result.simulated() && result.capacityRps() > highest) {
                highest = result.capacityRps();
            }
        }
        for (Pending p : pending) {
            if (decided.containsKey(p.id()) && p.pruningBound() < highest) {
                decided.put(p.id(), belowHighest(p, highest));
            }
        }
    }

    private static CandidateResult belowHighest(Pending p, double highestRps) {
        return new CandidateResult(p.shape(), p.replicas(), Verdict.PRUNED_THROUGHPUT_BOUND, String.format(Locale.ROOT,
                "no probe above %.3f req/s can pass, below the highest capacity found, %.3f req/s", p.boundRps(),
                highestRps), p.boundRps(), p.usdPerHour(), null);
    }

    /**
     * The verdicts of a run that took the candidates strictly in order of cost: the cheapest candidate that meets the
     * target costs C; every candidate dearer than C is pruned on cost (its search, if one ran while C was not yet
     * known, is dropped), or skipped as dominated when a candidate of its shape with fewer replicas, costing at most C,
     * meets the target. Those costing at most C keep their verdicts: their chains ran as in strict order.
     */
    private void settle(List<Pending> pending, Map<String, CandidateResult> decided) {
        double cheapest = Double.POSITIVE_INFINITY;
        Map<ReplicaShape, Integer> meetsWith = new HashMap<>();
        for (Pending p : pending) {
            CandidateResult result = decided.get(p.id());
            if (result != null && result.meets(settings.targetRps())) {
                cheapest = Math.min(cheapest, p.usdPerHour());
            }
        }
        for (Pending p : pending) {
            CandidateResult result = decided.get(p.id());
            if (result != null && p.usdPerHour() <= cheapest && result.meets(settings.targetRps())) {
                meetsWith.merge(p.shape(), p.replicas(), Math::min);
            }
        }
        for (Pending p : pending) {
            if (decided.containsKey(p.id()) && p.usdPerHour() > cheapest) {
                Integer fewer = meetsWith.get(p.shape());
                decided.put(p.id(), fewer != null && fewer < p.replicas() ? dominated(p, fewer) : prunedOnCost(p, cheapest));
            }
        }
    }

    private static Future<CandidateResult> take(CompletionService<CandidateResult> finished) {
        try {
            return finished.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a capacity search", e);
        }
    }

    private static CandidateResult dominated(Pending p, int fewer) {
        return new CandidateResult(p.shape(), p.replicas(), Verdict.DOMINATED, fewer
                + " replicas of this shape already meet the target", p.boundRps(), p.usdPerHour(), null);
    }

    private static CandidateResult prunedOnCost(Pending p, double cheapestMeeting) {
        return new CandidateResult(p.shape(), p.replicas(), Verdict.PRUNED_COST, String.format(Locale.ROOT,
                "costs more than %.2f USD per hour, which already meets the target", cheapestMeeting), p.boundRps(),
                p.usdPerHour(), null);
    }

    private static String group(ReplicaShape shape) {
        return shape.gpu() + "/" + shape.tp() + "/" + shape.pp() + "/" + shape.ep();
    }

    private CandidateResult simulate(Pending p, double efficiencyOfGroup) {
        boolean warm = !Double.isNaN(efficiencyOfGroup);
        double guessRps = (warm ? efficiencyOfGroup : FIRST_EFFICIENCY) * p.boundRps();
        try {
            // Without a finite bound there is nothing to start from: the cold start (the workload's own rate).
            WarmStart start = Double.isFinite(guessRps) && guessRps > 0
                    ? new WarmStart(guessRps / ratePerScale, warm ? WARM_STEP : FIRST_STEP) : null;
            CapacityResult capacity = finder.find(p.id(), p.shape().scenario(base, p.replicas()), settings.capacity(),
                    start);
            return new CandidateResult(p.shape(), p.replicas(), Verdict.SIMULATED,
                    String.format(Locale.ROOT, "%s after %d probes", capacity.status(), capacity.probes().size()),
                    p.boundRps(), p.usdPerHour(), capacity);
        } catch (ConfigException e) {
            return new CandidateResult(p.shape(), p.replicas(), Verdict.INVALID, e.getMessage(), p.boundRps(),
                    p.usdPerHour(), null);
        }
    }

    /**
     * The analytic verdict of every candidate of {@code shape}, in replica order; {@link Verdict#SIMULATED} (with its
     * bound and cost, no capacity yet) marks a candidate left for simulation.
     */
    private List<CandidateResult> analyse(ReplicaShape shape) {
        List<CandidateResult> results = new ArrayList<>();
        double usdPerGpuHour = prices.of(shape.gpu()).usdPerGpuHour();
        Scenario one = shape.scenario(base, 1);
        Deployment deployment;
        try {
            deployment = one.deployment().resolve(catalog);
            shape.schedulerSpec();
        } catch (ConfigException e) {
            addAll(results, shape, Verdict.INVALID, e.getMessage(), usdPerGpuHour);
            return results;
        }
        MemoryFit fit = deployment.memoryFit();
        if (fit instanceof MemoryFit.DoesNotFit) {
            addAll(results, shape, Verdict.PRUNED_MEMORY, fit.describe(), usdPerGpuHour);
            return results;
        }
        long kvTokensPerEngine = fit.orThrow().tokens() / shape.pp();
        ServiceBounds bounds = new ServiceBounds(deployment.stepTimeModel(0));
        boolean prefixCaching = one.engine().prefixCaching();
        double target = settings.capacity().targetGoodputFraction();
        if (one.metrics().warmupFraction() == 0) {
            double feasible = bounds.feasibleFraction(shape.limit().maxNumSeqs(), shape.limit().maxNumBatchedTokens(),
                    shape.chunkedPrefill(), one.engine().prefillChunkTokens(), prefixCaching, sample);
            if (feasible < target) {
                addAll(results, shape, Verdict.PRUNED_LATENCY_FLOOR, String.format(Locale.ROOT,
                        "only %.1f %% of the requests can meet the SLA even alone on a replica (target %.1f %%)",
                        100 * feasible, 100 * target), usdPerGpuHour);
                return results;
            }
        }
        for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
            double usdPerHour = usdPerGpuHour * shape.gpusPerReplica() * replicas;
            if (usdPerHour > settings.budgetUsdPerHour()) {
                results.add(new CandidateResult(shape, replicas, Verdict.PRUNED_COST, String.format(Locale.ROOT,
                        "costs more than the budget of %.2f USD per hour", settings.budgetUsdPerHour()), Double.NaN,
                        usdPerHour, null));
                continue;
            }
            double bound = bound(bounds, shape.scenario(base, replicas), shape, replicas, kvTokensPerEngine,
                    prefixCaching);
            if (boundsHold && !settings.maximise() && bound < settings.targetRps()) {
                results.add(new CandidateResult(shape, replicas, Verdict.PRUNED_THROUGHPUT_BOUND,
                        String.format(Locale.ROOT, "no probe above %.3f req/s can pass, below the target %.3f req/s",
                                bound, settings.targetRps()), bound, usdPerHour, null));
            } else {
                results.add(new CandidateResult(shape, replicas, Verdict.SIMULATED, "", bound, usdPerHour, null));
            }
        }
        return results;
    }

    /**
     * The highest rate at which a probe can pass on {@code replicas} replicas ({@link ServiceBounds#maxPassingRps}) from
     * the sum of the replicas' token rates. Replicas are placed alike (so the first one's rates, times the replicas,
     * are the sum) on a full mesh, and on nodes when a replica's GPUs divide a node or fill whole nodes; otherwise each
     * replica's step-time model is bounded on its own.
     */
    private double bound(ServiceBounds first, Scenario scenario, ReplicaShape shape, int replicas,
                         long kvTokensPerEngine, boolean prefixCaching) {
        int maxSeqs = shape.limit().maxNumSeqs();
        int tokens = shape.limit().maxNumBatchedTokens();
        TopologySpec topology = scenario.deployment().topology();
        int perReplica = shape.gpusPerReplica();
        boolean alike = "full_mesh".equals(topology.kind()) || ("multi_node".equals(topology.kind())
                && (topology.gpusPerNode() % perReplica == 0 || perReplica % topology.gpusPerNode() == 0));
        ServiceBounds.TokenKinds rates;
        if (alike) {
            rates = first.tokenRates(maxSeqs, tokens, kvTokensPerEngine, prefixCaching, sample).times(replicas);
        } else {
            Deployment deployment = scenario.deployment().resolve(catalog);
            rates = new ServiceBounds.TokenKinds(0, 0, 0);
            for (int r = 0; r < replicas; r++) {
                rates = rates.plus(new ServiceBounds(deployment.stepTimeModel(r))
                        .tokenRates(maxSeqs, tokens, kvTokensPerEngine, prefixCaching, sample));
            }
        }
        int good = (int) Math.ceil(settings.capacity().targetGoodputFraction() * sample.size());
        return ServiceBounds.maxPassingRps(rates, sample, good, baseRps);
    }

    private void addAll(List<CandidateResult> results, ReplicaShape shape, Verdict verdict, String reason,
                        double usdPerGpuHour) {
        for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
            results.add(new CandidateResult(shape, replicas, verdict, reason, Double.NaN,
                    usdPerGpuHour * shape.gpusPerReplica() * replicas, null));
        }
    }
}
