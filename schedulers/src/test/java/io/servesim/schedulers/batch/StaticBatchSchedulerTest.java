package io.servesim.schedulers.batch;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.schedulers.Scenarios;
import io.servesim.schedulers.SchedulerSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StaticBatchSchedulerTest {

    @Test
    void batchesOfBStartOnAnEmptyReplicaAndReturnTogether() {
        // B = 2, max wait 1 s, every iteration 10 ms, prompts of 10 tokens.
        // r0 (t=0, 3 tokens) waits; r1 (t=0.005, 5 tokens) completes the batch: both start at 0.005,
        //   prefill ends 0.015 (first token), the longest needs 4 more decodes: both return at 0.055.
        // r2 (t=0.02, 2 tokens) arrives while the batch runs; alone on the empty replica at 0.055 it
        //   waits for its max wait: starts at 0.02 + 1 = 1.02, first token 1.03, finishes 1.04.
        // r3 (t=2.0, 4 tokens) waits alone until 3.0: first token 3.01, finishes 3.04.
        SimulationResult r = Scenarios.runOne(new SchedulerSpec.Static(2, 1.0), Scenarios.config(8, 2048, false, 1000),
                AffineStepTimeModel.constant(0.01), ListWorkloadSource.ofRows(
                        new double[] {0.0, 10, 3}, new double[] {0.005, 10, 5},
                        new double[] {0.02, 10, 2}, new double[] {2.0, 10, 4}));
        RequestTable t = r.requests();
        assertThat(t.firstScheduledTime(0)).isCloseTo(0.005, within(1e-12));
        assertThat(t.firstScheduledTime(1)).isCloseTo(0.005, within(1e-12));
        assertThat(t.firstTokenTime(0)).isCloseTo(0.015, within(1e-12));
        assertThat(t.finishTime(0)).isCloseTo(0.055, within(1e-12));
        assertThat(t.finishTime(1)).isCloseTo(0.055, within(1e-12));
        assertThat(t.firstScheduledTime(2)).isCloseTo(1.02, within(1e-12));
        assertThat(t.firstTokenTime(2)).isCloseTo(1.03, within(1e-12));
        assertThat(t.finishTime(2)).isCloseTo(1.04, within(1e-12));
        assertThat(t.firstScheduledTime(3)).isCloseTo(3.0, within(1e-12));
        assertThat(t.finishTime(3)).isCloseTo(3.04, within(1e-12));
        for (int i = 0; i < 4; i++) {
            assertThat(t.outcome(i)).isEqualTo(Outcome.COMPLETED);
        }
        // Iterations: 5 (first batch) + 2 + 4.
        assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(11);
    }
}
