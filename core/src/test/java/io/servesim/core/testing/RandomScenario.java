package io.servesim.core.testing;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.workload.WorkloadSource;

import java.util.SplittableRandom;

/**
 * A random small scenario for exactness tests: 1–3 replicas whose limits bind (few KV blocks, chunking on or off,
 * timeouts and queue limits as often as not, unmixed batches one time in four), a roofline-shaped step model and
 * Poisson traffic of 1,500 requests.
 */
public record RandomScenario(int replicas, ReplicaConfig config, ContextDependentModel model, double ratePerSecond,
                             long workloadSeed) {

    public static RandomScenario draw(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int replicas = 1 + random.nextInt(3);
        boolean chunked = random.nextBoolean();
        int maxSeqs = 4 + random.nextInt(60);
        int budget = Math.max(maxSeqs, 256 + random.nextInt(4000));
        int blocks = 40 + random.nextInt(400);
        double timeout = random.nextBoolean() ? Double.POSITIVE_INFINITY : 2 + random.nextDouble() * 20;
        int queueLimit = random.nextBoolean() ? 1 << 20 : 20 + random.nextInt(200);
        int chunk = 64 + random.nextInt(1024);
        ContextDependentModel model = new ContextDependentModel(0.004 + random.nextDouble() * 0.01,
                1e-7 * random.nextDouble(), 2e-5 * random.nextDouble());
        double rate = 5 + random.nextDouble() * 80;
        long workloadSeed = random.nextLong();
        boolean mixed = random.nextInt(4) != 0; // drawn last, so the other draws are those of earlier versions
        ReplicaConfig config = new ReplicaConfig(maxSeqs, budget, chunked, chunk, blocks, 16, 4096, queueLimit, timeout,
                false, mixed);
        return new RandomScenario(replicas, config, model, rate, workloadSeed);
    }

    /** A fresh source of the scenario's requests (sources are single-use; every call gives the same requests). */
    public WorkloadSource workload() {
        return TestWorkloads.poisson(workloadSeed, 1500, ratePerSecond, 1, 900, 1, 400);
    }
}
