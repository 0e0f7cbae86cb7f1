package io.servesim.experiments.bench;

import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.experiments.scenario.Pools;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.workloads.Presets;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed, seeded scenarios of {@code servesim bench}: what the simulator is fast at, stated as the
 * runs a study actually makes.
 *
 * @param id       stable name, used in bench.csv
 * @param title    one line for the table
 * @param scenario the run (its workload's request count is the full-size count)
 */
public record BenchScenario(String id, String title, Scenario scenario) {

    /** The stress workload at the plan's ×200 arrival rate. */
    private static final double STRESS_RPS_SCALE = 200;
    private static final long SEED = 20261128L;
    /** The shared_prefix preset at 16 req/s, a load one H100 replica sustains with prefix caching on. */
    private static final double SHARED_PREFIX_RPS_SCALE = 0.4;

    /** 1M requests, one Llama-2-7B replica on one H100, continuous batching, stress workload ×200. */
    public static BenchScenario singleReplica() {
        return new BenchScenario("single_replica", "1M requests, Llama-2-7B on 1 H100, continuous, stress x200",
                stress(1_000_000, DeploymentConfig.defaults(), new SchedulerChoice(new SchedulerSpec.Continuous(null),
                        new RouterSpec.RoundRobin())));
    }

    /** 1M requests on 100 GPUs (100 replicas), multi-bin K = 8, least-loaded routing, stress workload ×200. */
    public static BenchScenario hundredGpus() {
        return new BenchScenario("hundred_gpus", "1M requests, 100 H100 replicas, multi_bin K=8, least_loaded",
                stress(1_000_000, DeploymentConfig.defaults().withParallelism(1, 1, 100),
                        new SchedulerChoice(SchedulerSpec.MultiBin.withBins(8), new RouterSpec.LeastLoaded())));
    }

    /**
     * The heavy preset (its extreme-context profile has ≈6,000-token prompts, so a model with an 8K context:
     * Llama-3-70B) on TP = 8 H100s with chunked prefill, 100k requests.
     */
    public static BenchScenario heavyTensorParallel() {
        Scenario scenario = new Scenario(SEED,
                DeploymentConfig.defaults().withModelAndGpu("Llama-3-70B", "H100-SXM").withParallelism(8, 1, 1),
                EngineConfig.defaults().withChunkedPrefill(true), SchedulerChoice.defaults(),
                Presets.load("heavy").withRequests(100_000), Scenario.MetricsConfig.defaults());
        return new BenchScenario("heavy_tp8", "100k requests, heavy preset, Llama-3-70B on TP=8 H100, chunked prefill",
                scenario);
    }

    /**
     * 1M requests of the shared_prefix preset (64 system prompts of 1,024 tokens) at ×0.4 = 16 req/s, which one
     * Llama-2-7B replica on one H100 with prefix caching on keeps up with (at the preset's 40 req/s it saturates at
     * about 22 req/s): the block manager's hashing, lookups and LRU on the hot path.
     */
    public static BenchScenario sharedPrefix() {
        Scenario scenario = new Scenario(SEED, DeploymentConfig.defaults(), EngineConfig.defaults().withPrefixCaching(true),
                new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.RoundRobin()),
                Presets.load("shared_prefix").withRequests(1_000_000).withRpsScale(SHARED_PREFIX_RPS_SCALE),
                Scenario.MetricsConfig.defaults());
        return new BenchScenario("shared_prefix", "1M requests, shared_prefix preset x0.4, 1 H100, prefix caching on",
                scenario);
    }

    /**
     * 1M requests of the stress workload ×200 on 16 H100s disaggregated: 8 prefill replicas (least-loaded) and 8
     * decode replicas (kv_aware) of Llama-2-7B on two 8-GPU nodes, every KV crossing the InfiniBand switch.
     */
    public static BenchScenario disaggregated() {
        Pools.Pool prefill = new Pools.Pool("H100-SXM", 1, 1, 1, 8, null, null,
                new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.LeastLoaded()));
        Pools.Pool decode = new Pools.Pool("H100-SXM", 1, 1, 1, 8, null, null,
                new SchedulerChoice(new SchedulerSpec.Continuous(null), new RouterSpec.KvAware()));
        return new BenchScenario("disaggregated", "1M requests, 8 prefill + 8 decode H100 replicas, stress x200",
                stress(1_000_000, DeploymentConfig.defaults(), SchedulerChoice.defaults())
                        .withPools(new Pools(prefill, decode)));
    }

    private static Scenario stress(long requests, DeploymentConfig deployment, SchedulerChoice scheduling) {
        return new Scenario(SEED, deployment, EngineConfig.defaults(), scheduling,
                Presets.load("stress").withRequests(requests).withRpsScale(STRESS_RPS_SCALE), Scenario.MetricsConfig.defaults());
    }

    /**
     * How cost grows: the single-replica scenario at each request count, then the multi-GPU scenario (1M requests,
     * multi_bin K = 8, least-loaded) at each GPU count.
     */
    public static List<BenchScenario> costCurve(long[] requestCounts, int[] gpuCounts) {
        List<BenchScenario> curve = new ArrayList<>();
        BenchScenario single = singleReplica();
        for (long n : requestCounts) {
            curve.add(new BenchScenario("requests_" + n, "single replica, " + n + " requests",
                    single.scenario.withWorkload(single.scenario.workload().withRequests(n))));
        }
        BenchScenario many = hundredGpus();
        for (int gpus : gpuCounts) {
            curve.add(new BenchScenario("gpus_" + gpus, gpus + " GPUs, " + many.requests() + " requests",
                    many.scenario.withDeployment(many.scenario.deployment().withParallelism(1, 1, gpus))));
        }
        return curve;
    }

    /** The same scenario with its request count multiplied by {@code scale} (at least 100 requests). */
    public BenchScenario scaled(double scale) {
        long requests = Math.max(100, Math.round(scenario.workload().requests() * scale));
        return new BenchScenario(id, title, scenario.withWorkload(scenario.workload().withRequests(requests)));
    }

    public long requests() {
        return scenario.workload().requests();
    }
}
