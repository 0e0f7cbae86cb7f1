package io.servesim.experiments.plan;

import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadSpecs;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CellSeedsTest {

    @Test
    void aKeysSeedIsTheFirstDrawOfThePlanSeedMixedWithTheFnv1aHashOfTheKey() {
        // FNV-1a (64 bit) of "a" is 0xaf63dc4c8601ec8c (the published test vector of the hash), so the seed of key
        // "a" in a plan seeded 42 is the first nextLong() of SplittableRandom(42 ^ 0xaf63dc4c8601ec8c).
        assertThat(CellSeeds.seed(42, "a")).isEqualTo(new SplittableRandom(42L ^ 0xaf63dc4c8601ec8cL).nextLong());
        // FNV-1a of "" is the offset basis 0xcbf29ce484222325.
        assertThat(CellSeeds.seed(7, "")).isEqualTo(new SplittableRandom(7L ^ 0xcbf29ce484222325L).nextLong());
    }

    @Test
    void cellsOnTheSameWorkloadAndReplicationShareTheirSeedWhateverElseDiffers() {
        // Common random numbers: the seed is a function of the plan seed, the workload and the replication only.
        WorkloadSpec stress = WorkloadSpecs.resolve("stress").withRequests(1000);
        long seed = CellSeeds.seed(42, stress, 0);
        assertThat(CellSeeds.seed(42, WorkloadSpecs.resolve("stress").withRequests(1000), 0)).isEqualTo(seed);
        assertThat(CellSeeds.seed(42, stress, 1)).isNotEqualTo(seed);
        assertThat(CellSeeds.seed(43, stress, 0)).isNotEqualTo(seed);
        assertThat(CellSeeds.seed(42, stress.withRequests(1001), 0)).isNotEqualTo(seed);
    }
}
