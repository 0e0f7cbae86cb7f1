package io.servesim.experiments.stress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.servesim.experiments.plan.CapacityCell;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.CellSeeds;
import io.servesim.experiments.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the cells of the stress plan share capacity searches. */
class StressPlanCapacityTest {
    private static final Scenario TEMPLATE = Scenario.fromTree(JsonNodeFactory.instance.objectNode().put("workload", "stress"));
    private static final CapacitySearches SEARCHES = new CapacitySearches(CapacitySpec.defaults(), 42L);

    private static List<Cell> fullPlan(StressPlanSpec spec) {
        StressPlan plan = new StressPlan(spec, TEMPLATE, false);
        List<Cell> cells = new ArrayList<>(plan.step1());
        cells.addAll(plan.step2());
        cells.addAll(plan.step3(8));
        return cells;
    }

    @Test
    void theFullPlansThirtyFourCellsShareFifteenSearches() {
        // step 1: static, dynamic, multi_bin K=4 on 1, 2, 4 GPUs (5); step 2 adds multi_bin K=4 on 8 … 100 GPUs (5);
        // step 3 at 8 GPUs adds K = 1, 2, 8, 16, 32 (5; K = 4 on 8 GPUs is step 2's)
        List<CapacityCell> searches = SEARCHES.distinct(fullPlan(StressPlanSpec.defaults()));
        assertThat(searches).hasSize(15).extracting(CapacityCell::id).doesNotHaveDuplicates()
                .contains("capacity-static-g1-least_loaded-r0", "capacity-multi_bin-k4-g100-least_loaded-r0",
                        "capacity-multi_bin-k32-g8-least_loaded-r0");
    }

    @Test
    void cellsThatDifferOnlyByRequestCountOrStepShareTheSearchWithTheProbeSizeAndItsOwnSeed() {
        List<Cell> cells = fullPlan(StressPlanSpec.defaults());
        List<Cell> k4OnTwoGpus = cells.stream().filter(c -> c.id().matches("step[12]-multi_bin-k4-g2-n\\d+-r0")).toList();
        assertThat(k4OnTwoGpus).hasSize(5); // step 1 at 1K, 10K, 100K, 1M; step 2 at 1M
        List<CapacityCell> searches = k4OnTwoGpus.stream().map(SEARCHES::of).distinct().toList();
        assertThat(searches).hasSize(1);
        CapacityCell search = searches.get(0);
        assertThat(search.id()).isEqualTo("capacity-multi_bin-k4-g2-least_loaded-r0");
        assertThat(search.scenario().workload().requests()).isNull();
        assertThat(search.scenario().workload().durationSeconds()).isEqualTo(CapacitySpec.DEFAULT_PROBE_SECONDS);
        assertThat(search.scenario().workload().rpsScale()).isEqualTo(200.0);
        assertThat(search.scenario().seed()).isEqualTo(CellSeeds.seed(42L, search.scenario().workload(), 0));
        assertThat(search.scenario().deployment()).isEqualTo(k4OnTwoGpus.get(0).scenario().deployment());
        assertThat(search.scenario().scheduling()).isEqualTo(k4OnTwoGpus.get(0).scenario().scheduling());
        assertThat(search.options().relativeTolerance()).isEqualTo(0.05);
    }

    @Test
    void eachReplicationHasItsOwnSearch() {
        List<Cell> cells = fullPlan(StressPlanSpec.defaults().with(null, 3, null, null, null, null));
        List<CapacityCell> searches = SEARCHES.distinct(cells);
        assertThat(searches).hasSize(45);
        // Every search of a replication probes with the same requests; each replication draws its own.
        assertThat(searches.stream().map(s -> s.scenario().seed()).distinct()).hasSize(3);
    }
}
