package io.servesim.experiments.plan;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The seed of a cell: a function of the plan seed and the cell's stable id only (the id includes the
 * replication), so a cell gets the same random streams whichever thread runs it and whatever else the
 * plan contains.
 *
 * <p>seed = first {@code nextLong()} of {@code SplittableRandom(planSeed XOR fnv1a64(id))}; FNV-1a spreads
 * the id over 64 bits and the SplittableRandom step mixes it with the plan seed.
 */
public final class CellSeeds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private CellSeeds() {
    }

    public static long seed(long planSeed, String cellId) {
        long hash = FNV_OFFSET;
        for (byte b : cellId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return new SplittableRandom(planSeed ^ hash).nextLong();
    }
}
