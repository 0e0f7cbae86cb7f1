package io.servesim.experiments.stress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class StressPlanTest {
    private static final Scenario TEMPLATE = Scenario.fromTree(JsonNodeFactory.instance.objectNode().put("workload", "stress"));

    @Test
    void theFullPlanHasTwentyPlusEightPlusSixCellsWithDistinctIdsAndSeedsSharedPerWorkload() {
        StressPlan plan = new StressPlan(StressPlanSpec.defaults(), TEMPLATE, false);
        List<Cell> cells = new ArrayList<>(plan.step1());
        cells.addAll(plan.step2());
        cells.addAll(plan.step3(8));
        assertThat(plan.step1()).hasSize(20);
        assertThat(plan.step2()).hasSize(8);
        assertThat(plan.step3(8)).hasSize(6);
        assertThat(cells).extracting(Cell::id).doesNotHaveDuplicates()
                .contains("step1-static-g1-n1000-r0", "step1-multi_bin-k4-g2-n100000-r0", "step2-multi_bin-k4-g100-n1000000-r0",
                        "step3-multi_bin-k32-g8-n1000000-r0");
        // Common random numbers: cells on the same workload (same request count) share their seed, so every
        // configuration sees the same requests; the four request counts have four different seeds.
        Map<Long, Set<Long>> seedsByRequests = cells.stream().collect(Collectors.groupingBy(
                c -> c.scenario().workload().requests(), Collectors.mapping(c -> c.scenario().seed(), Collectors.toSet())));
        assertThat(seedsByRequests).hasSize(4).allSatisfy((requests, seeds) -> assertThat(seeds).hasSize(1));
        assertThat(seedsByRequests.values().stream().flatMap(Set::stream)).doesNotHaveDuplicates();
        assertThat(plan.step2()).extracting(Cell::gpus).containsExactly(1, 2, 4, 8, 16, 32, 64, 100);
        assertThat(plan.step3(8)).extracting(Cell::kBins).containsExactly(1, 2, 4, 8, 16, 32);
        assertThat(cells).allSatisfy(c -> assertThat(c.scenario().workload().rpsScale()).isEqualTo(200.0));
    }

    @Test
    void multiBinCellsUseLeastLoadedUnlessTheConfigNamesARouter() {
        assertThat(new StressPlan(StressPlanSpec.defaults(), TEMPLATE, false).step2())
                .allSatisfy(c -> assertThat(c.scenario().scheduling().router()).isEqualTo(new RouterSpec.LeastLoaded()));
        Scenario affinity = TEMPLATE.withScheduling(new SchedulerChoice(null, new RouterSpec.BinAffinity()));
        StressPlan plan = new StressPlan(StressPlanSpec.defaults(), affinity, true);
        assertThat(plan.step2()).allSatisfy(c -> assertThat(c.scenario().scheduling().router()).isEqualTo(new RouterSpec.BinAffinity()));
        // bin_affinity needs bins: static and dynamic cells keep least_loaded
        assertThat(plan.step1()).filteredOn(c -> c.kBins() == null)
                .allSatisfy(c -> assertThat(c.scenario().scheduling().router()).isEqualTo(new RouterSpec.LeastLoaded()));
    }

    @Test
    void theParametersOfTheConfigsSchedulerAreKeptForCellsOfItsType() {
        Scenario batch16 = TEMPLATE.withScheduling(new SchedulerChoice(new SchedulerSpec.Static(16, 0.5), null));
        StressPlan plan = new StressPlan(StressPlanSpec.defaults(), batch16, false);
        assertThat(plan.step1()).filteredOn(c -> c.scenario().scheduling().scheduler() instanceof SchedulerSpec.Static)
                .hasSize(4)
                .allSatisfy(c -> assertThat(c.scenario().scheduling().scheduler()).isEqualTo(new SchedulerSpec.Static(16, 0.5)));
    }
}
