package io.servesim.experiments.search;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.config.ConfigException;
import io.servesim.core.memory.MemoryFit;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.capacity.CapacitySearch.WarmStart;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.search.CandidateResult.Verdict;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * ({@link ServiceBounds#maxPassingRps}), skipped when the scenario leaves warm-up arrivals out of its figures. Then the survivors are taken in order of cost per hour (ties in space order), in waves of
 * {@value #WAVE} capacity searches run in parallel ({@link CapacitySearch}, on the same requests and seed for every
 * candidate). Before each wave, a candidate is skipped as dominated when the same shape with fewer replicas already
 * meets the target, and pruned on cost when it costs more than a candidate that meets the target: it can be neither
 * the recommendation nor cheaper on the cost–capacity frontier than that candidate ({@code exhaustive} simulates them
 * anyway).
 *
 * <p>Capacity searches reuse what earlier ones learnt: each starts warm at the capacity its bound predicts with the
 * ratio capacity / bound of the latest search of its group (same GPU type and parallel layout) in an earlier wave, with
 * a 15 % first step. Waves have a fixed size and their results are applied in order, so the result does not depend on
 * the threads: the search is deterministic for a seed.
 */
public final class DeploymentSearch {
    /** Capacity / bound assumed for a group's first search. */
    static final double FIRST_EFFICIENCY = 0.5;
    /** First bracketing step of a group's first search, and of the warm searches after it. */
    static final double FIRST_STEP = 0.5;
    static final double WARM_STEP = 0.15;
    /** Capacity searches per wave. */
    static final int WAVE = 4;

    private final Scenario base;
    private final SearchSpace space;
    private final GpuPrices prices;
    private final SearchSettings settings;
    private final boolean exhaustive;
    private final Catalog catalog;
    private final RequestSample sample;
    private final double baseRps;
    private final double ratePerScale;

    /**
     * @param exhaustive simulate every candidate the analytic bounds leave, however dear (no dominance or cost pruning)
     */
    public DeploymentSearch(Scenario base, SearchSpace space, GpuPrices prices, SearchSettings settings,
                            boolean exhaustive) {
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
    }

    /** Runs the search; {@code onWave} hears of each wave's results as it ends (on the calling thread). */
    public List<CandidateResult> run(Consumer<List<CandidateResult>> onWave) {
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
                                c.shape().gpu() + "/" + c.shape().tp() + "/" + c.shape().pp() + "/" + c.shape().ep()));
                    } else {
                        decided.put(c.id(), c);
                    }
                    order++;
                }
            }
            pending.sort(Comparator.comparingDouble(Pending::usdPerHour).thenComparingInt(Pending::order));
            simulateInWaves(pending, decided, pool, onWave);
            List<CandidateResult> all = new ArrayList<>();
            for (ReplicaShape shape : shapes) {
                for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
                    all.add(decided.get(shape.candidateId(replicas)));
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private void simulateInWaves(List<Pending> pending, Map<String, CandidateResult> decided, ExecutorService pool,
                                 Consumer<List<CandidateResult>> onWave) {
        Map<String, Double> efficiency = new HashMap<>();
        Map<ReplicaShape, Integer> meetsWith = new HashMap<>();
        double cheapestMeeting = Double.POSITIVE_INFINITY;
        int next = 0;
        while (next < pending.size()) {
            List<Pending> wave = new ArrayList<>();
            List<Future<CandidateResult>> futures = new ArrayList<>();
            while (next < pending.size() && wave.size() < WAVE) {
                Pending p = pending.get(next++);
                Integer fewer = meetsWith.get(p.shape());
                if (!exhaustive && fewer != null && fewer < p.replicas()) {
                    decided.put(p.shape().candidateId(p.replicas()), new CandidateResult(p.shape(), p.replicas(),
                            Verdict.DOMINATED, fewer + " replicas of this shape already meet the target", p.boundRps(),
                            p.usdPerHour(), null));
                } else if (!exhaustive && p.usdPerHour() > cheapestMeeting) {
                    decided.put(p.shape().candidateId(p.replicas()), new CandidateResult(p.shape(), p.replicas(),
                            Verdict.PRUNED_COST, String.format(Locale.ROOT, "costs more than %.2f USD per hour, which"
                                    + " already meets the target", cheapestMeeting), p.boundRps(), p.usdPerHour(), null));
                } else {
                    double ratio = efficiency.getOrDefault(p.group(), Double.NaN);
                    wave.add(p);
                    futures.add(pool.submit(() -> simulate(p, ratio)));
                }
            }
            List<CandidateResult> done = new ArrayList<>();
            for (int i = 0; i < wave.size(); i++) {
                Pending p = wave.get(i);
                CandidateResult result = PlanRunner.await(futures.get(i), "a search group");
                decided.put(result.id(), result);
                done.add(result);
                double rps = result.capacityRps();
                if (rps > 0 && Double.isFinite(p.boundRps())) {
                    efficiency.put(p.group(), rps / p.boundRps());
                }
                if (result.meets(settings.targetRps())) {
                    meetsWith.merge(p.shape(), p.replicas(), Math::min);
                    cheapestMeeting = Math.min(cheapestMeeting, p.usdPerHour());
                }
            }
            if (!done.isEmpty()) {
                onWave.accept(done);
            }
        }
    }

    private CandidateResult simulate(Pending p, double efficiencyOfGroup) {
        boolean warm = !Double.isNaN(efficiencyOfGroup);
        double guessRps = (warm ? efficiencyOfGroup : FIRST_EFFICIENCY) * p.boundRps();
        try {
            // Without a finite bound there is nothing to start from: the cold start (the workload's own rate).
            WarmStart start = Double.isFinite(guessRps) && guessRps > 0
                    ? new WarmStart(guessRps / ratePerScale, warm ? WARM_STEP : FIRST_STEP) : null;
            CapacityResult capacity = CapacitySearch.find(p.shape().scenario(base, p.replicas()), settings.capacity(),
                    start, probe -> { });
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
            double bound = bound(bounds, shape.scenario(base, replicas), shape, replicas, kvTokensPerEngine,
                    prefixCaching);
            if (one.metrics().warmupFraction() == 0 && bound < settings.targetRps()) {
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
