package io.servesim.experiments.plan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CellSeedsTest {

    @Test
    void aCellsSeedDependsOnlyOnThePlanSeedAndItsId() {
        assertThat(CellSeeds.seed(42, "step2-multi_bin-k4-g8-n1000000-r0"))
                .isEqualTo(CellSeeds.seed(42, "step2-multi_bin-k4-g8-n1000000-r0"))
                .isNotEqualTo(CellSeeds.seed(42, "step2-multi_bin-k4-g8-n1000000-r1"))
                .isNotEqualTo(CellSeeds.seed(43, "step2-multi_bin-k4-g8-n1000000-r0"));
    }
}
