package io.servesim.experiments.stress;

import io.servesim.experiments.plan.ResultRow;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BestGpuCountTest {

    private static ResultRow row(String step, int gpus, double goodput) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("step", step);
        values.put("gpus", Integer.toString(gpus));
        values.put("goodput_rps", Double.toString(goodput));
        return new ResultRow(values);
    }

    @Test
    void theSmallestGpuCountWithinFivePercentOfTheBestGoodputWins() {
        String step2 = StressStep.GPU_SCALING.stepName();
        // best 100 on 8 GPUs; 95 on 4 GPUs is within 5 % (threshold 95), 90 on 2 GPUs is not
        BestGpuCount best = BestGpuCount.of(List.of(row(step2, 1, 50), row(step2, 2, 90), row(step2, 4, 95),
                row(step2, 8, 100)));
        assertThat(best.gpus()).isEqualTo(4);
        assertThat(best.bestGoodputGpus()).isEqualTo(8);
    }

    @Test
    void replicationsAreAveragedBeforeTheRuleApplies() {
        String step2 = StressStep.GPU_SCALING.stepName();
        // 2 GPUs: mean (99 + 89) / 2 = 94 < 95; 4 GPUs: mean 100
        BestGpuCount best = BestGpuCount.of(List.of(row(step2, 2, 99), row(step2, 2, 89), row(step2, 4, 100),
                row(step2, 4, 100)));
        assertThat(best.gpus()).isEqualTo(4);
    }
}
