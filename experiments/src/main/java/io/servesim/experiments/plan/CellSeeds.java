package io.servesim.experiments.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.workloads.WorkloadSpec;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The seed of a cell: a function of the plan seed, the cell's workload and its replication only — not of
 * the configuration, the thread that runs it or the other cells. Cells that compare configurations on the
 * same workload therefore see the very same requests (common random numbers): their differences come from
 * the configurations, not from sampling noise, and each replication draws afresh.
 *
 * <p>seed = first {@code nextLong()} of {@code SplittableRandom(planSeed XOR fnv1a64(id))}; FNV-1a spreads
 * the id over 64 bits and the SplittableRandom step mixes it with the plan seed.
 */
public final class CellSeeds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private CellSeeds() {
    }

    /** The seed of a run of {@code workload} in replication {@code replication} of a plan seeded {@code planSeed}. */
    public static long seed(long planSeed, WorkloadSpec workload, int replication) {
        try {
            return seed(planSeed, ConfigMapper.json().writeValueAsString(workload) + "-r" + replication);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a workload spec must serialise to JSON", e);
        }
    }

    /** The seed derived from {@code planSeed} and a stable key. */
    public static long seed(long planSeed, String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return new SplittableRandom(planSeed ^ hash).nextLong();
    }
}
