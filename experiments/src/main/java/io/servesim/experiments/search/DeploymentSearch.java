package io.servesim.experiments.search;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.config.ConfigException;
import io.servesim.core.memory.MemoryFit;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.capacity.CapacitySearch.WarmStart;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.search.CandidateResult.Verdict;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The cheapest deployment of a scenario's model that serves its workload at a target rate within its SLA, found by
 * pruning a {@link SearchSpace} analytically and searching the capacity of what survives.
 *
 * <p>Each candidate (a {@link ReplicaShape} with a replica count) is, in turn: invalid for the model; pruned when
 * its weights do not fit; pruned when its latency floors leave fewer requests able to meet the SLA than the goodput
 * target ({@link ServiceBounds#feasibleFraction}); pruned when (1 + slack) times its throughput bound is below the
 * target; skipped as dominated when the same shape with fewer replicas already meets the target; and otherwise
 * simulated: a capacity search ({@link CapacitySearch}) on the same requests and seed as every other candidate.
 *
 * <p>Capacity searches reuse what earlier ones learnt: candidates are grouped by GPU type and parallel layout; a
 * group's searches run one after another, each starting warm at the capacity its bound predicts with the ratio
 * capacity / bound of the group's previous search, with a 15 % first step. Groups run in parallel; which group a
 * thread takes never changes a result, so the search is deterministic for a seed.
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
    private final Catalog catalog;
    private final RequestSample sample;
    private final double ratePerScale;

    public DeploymentSearch(Scenario base, SearchSpace space, GpuPrices prices, SearchSettings settings) {
        this.base = base;
        this.space = space;
        this.prices = prices;
        this.settings = settings;
        this.catalog = base.deployment().loadCatalog();
        WorkloadSpec probe = base.workload().withRequests(settings.capacity().requests());
        this.sample = RequestSample.of(probe, base.seed());
        ConfigException.require(sample.size() > 0, "workload", "must yield at least one request", 0);
        this.ratePerScale = Workload.compile(probe).requestRatePerSecond() / probe.rpsScale();
        for (String gpu : space.gpus()) {
            catalog.gpu(gpu);
            prices.of(gpu);
        }
    }

    /** The requests every probe serves. */
    public RequestSample sample() {
        return sample;
    }

    /** Runs the search; {@code onGroup} hears of each group of candidates as it ends (from worker threads). */
    public List<CandidateResult> run(Consumer<List<CandidateResult>> onGroup) {
        Map<String, List<ReplicaShape>> groups = new LinkedHashMap<>();
        for (ReplicaShape shape : space.shapes()) {
            groups.computeIfAbsent(shape.gpu() + "/" + shape.tp() + "/" + shape.pp() + "/" + shape.ep(),
                    k -> new ArrayList<>()).add(shape);
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "servesim-search");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<CandidateResult>>> futures = new ArrayList<>();
            for (List<ReplicaShape> group : groups.values()) {
                futures.add(pool.submit(() -> {
                    List<CandidateResult> results = searchGroup(group);
                    onGroup.accept(results);
                    return results;
                }));
            }
            List<CandidateResult> all = new ArrayList<>();
            for (Future<List<CandidateResult>> future : futures) {
                all.addAll(await(future));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<CandidateResult> searchGroup(List<ReplicaShape> shapes) {
        List<CandidateResult> results = new ArrayList<>();
        double efficiency = Double.NaN;
        for (ReplicaShape shape : shapes) {
            double usdPerGpuHour = prices.of(shape.gpu()).usdPerGpuHour();
            Scenario one = shape.scenario(base, 1);
            Deployment deployment;
            try {
                deployment = one.deployment().resolve(catalog);
                shape.schedulerSpec();
            } catch (ConfigException e) {
                addAll(results, shape, Verdict.INVALID, e.getMessage(), Double.NaN, usdPerGpuHour);
                continue;
            }
            MemoryFit fit = deployment.memoryFit();
            if (fit instanceof MemoryFit.DoesNotFit) {
                addAll(results, shape, Verdict.PRUNED_MEMORY, fit.describe(), Double.NaN, usdPerGpuHour);
                continue;
            }
            long kvTokensPerEngine = fit.orThrow().tokens() / shape.pp();
            ServiceBounds bounds = new ServiceBounds(deployment.stepTimeModel(0));
            boolean prefixCaching = one.engine().prefixCaching();
            double target = settings.capacity().targetGoodputFraction();
            if (one.metrics().warmupFraction() == 0) {
                double feasible = bounds.feasibleFraction(shape.limit().maxNumSeqs(), shape.limit().maxNumBatchedTokens(),
                        shape.chunkedPrefill(),
                        one.engine().prefillChunkTokens(), prefixCaching, sample);
                if (feasible < target) {
                    addAll(results, shape, Verdict.PRUNED_LATENCY_FLOOR, String.format(Locale.ROOT,
                            "only %.1f %% of the requests can meet the SLA even alone on a replica (target %.1f %%)",
                            100 * feasible, 100 * target), Double.NaN, usdPerGpuHour);
                    continue;
                }
            }
            boolean found = false;
            for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
                double usdPerHour = usdPerGpuHour * shape.gpusPerReplica() * replicas;
                if (found) {
                    results.add(new CandidateResult(shape, replicas, Verdict.DOMINATED,
                            "fewer replicas of this shape already meet the target", Double.NaN, usdPerHour, null));
                    continue;
                }
                Scenario scenario = shape.scenario(base, replicas);
                double bound = bound(bounds, scenario, shape, replicas, kvTokensPerEngine, prefixCaching);
                if ((1 + settings.boundSlack()) * bound < settings.targetRps()) {
                    results.add(new CandidateResult(shape, replicas, Verdict.PRUNED_THROUGHPUT_BOUND,
                            String.format(Locale.ROOT, "bound %.3f req/s × %.2f < target %.3f req/s", bound,
                                    1 + settings.boundSlack(), settings.targetRps()), bound, usdPerHour, null));
                    continue;
                }
                boolean warm = !Double.isNaN(efficiency);
                double guessRps = (warm ? efficiency : FIRST_EFFICIENCY) * bound;
                CapacityResult capacity;
                try {
                    capacity = CapacitySearch.find(scenario, settings.capacity(),
                            new WarmStart(guessRps / ratePerScale, warm ? WARM_STEP : FIRST_STEP), probe -> { });
                } catch (ConfigException e) {
                    results.add(new CandidateResult(shape, replicas, Verdict.INVALID, e.getMessage(), bound,
                            usdPerHour, null));
                    break;
                }
                double rps = capacity.capacityRps();
                if (rps > 0) {
                    efficiency = rps / bound;
                }
                found = rps >= settings.targetRps();
                results.add(new CandidateResult(shape, replicas, Verdict.SIMULATED,
                        String.format(Locale.ROOT, "%s after %d probes", capacity.status(), capacity.probes().size()),
                        bound, usdPerHour, capacity));
            }
        }
        return results;
    }

    /**
     * The throughput bound of {@code replicas} replicas: the sum of each replica's. Replicas are placed alike (so the
     * first one's bound, times the replicas, is the sum) on a full mesh, and on 8-GPU-style nodes when a replica's
     * GPUs divide a node or fill whole nodes; otherwise each replica's step-time model is bounded on its own.
     */
    private double bound(ServiceBounds first, Scenario scenario, ReplicaShape shape, int replicas,
                         long kvTokensPerEngine, boolean prefixCaching) {
        int maxSeqs = shape.limit().maxNumSeqs();
        int tokens = shape.limit().maxNumBatchedTokens();
        TopologySpec topology = scenario.deployment().topology();
        int perReplica = shape.gpusPerReplica();
        boolean alike = "full_mesh".equals(topology.kind()) || ("multi_node".equals(topology.kind())
                && (topology.gpusPerNode() % perReplica == 0 || perReplica % topology.gpusPerNode() == 0));
        if (alike) {
            return replicas * first.requestsPerSecond(maxSeqs, tokens, kvTokensPerEngine, prefixCaching, sample);
        }
        Deployment deployment = scenario.deployment().resolve(catalog);
        double sum = 0;
        for (int r = 0; r < replicas; r++) {
            sum += new ServiceBounds(deployment.stepTimeModel(r))
                    .requestsPerSecond(maxSeqs, tokens, kvTokensPerEngine, prefixCaching, sample);
        }
        return sum;
    }

    private void addAll(List<CandidateResult> results, ReplicaShape shape, Verdict verdict, String reason,
                        double bound, double usdPerGpuHour) {
        for (int replicas = 1; replicas <= space.maxReplicas(); replicas++) {
            results.add(new CandidateResult(shape, replicas, verdict, reason, bound,
                    usdPerGpuHour * shape.gpusPerReplica() * replicas, null));
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a search group", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
