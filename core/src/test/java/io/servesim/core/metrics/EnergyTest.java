package io.servesim.core.metrics;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EnergyTest {
    /** 1000 W TDP, 100 W idle, 800 W in prefill, 500 W in decode. */
    private static final GpuPower POWER = new GpuPower(1000, 100, 0.8, 0.5, "test");
    private static final ReplicaConfig LIMITS = new ReplicaConfig(8, 2048, false, 4096, 1000, 16, 1 << 20, 1 << 20,
            Double.POSITIVE_INFINITY);

    private static RunMetrics run(boolean fast, double[]... rows) {
        SimulationResult r = new Simulation(List.of(new ReplicaSetup(LIMITS, AffineStepTimeModel.constant(0.01),
                new ContinuousBatchingScheduler(), POWER)), new RoundRobinRouter(), ListWorkloadSource.ofRows(rows),
                SimulationOptions.DEFAULT.withFastForward(fast)).run();
        return RunMetrics.of(r);
    }

    @Test
    void energyIsPowerIntegratedOverIdlePrefillAndDecodeTime() {
        // Arrives at 1: idle 0–1 (100 W), prefill 1.00–1.01 (800 W), 4 decode iterations 1.01–1.05 (500 W).
        // ∫ P dt = 100 · 1 + 800 · 0.01 + 500 · 0.04 = 128 J over 1.05 s; 5 output tokens.
        RunMetrics m = run(true, new double[] {1.0, 100, 5});
        assertThat(m.energy().energyJoules()).isCloseTo(128, within(128 * 1e-3));
        assertThat(m.energy().averagePowerWatts()).isCloseTo(128 / 1.05, within(0.1));
        assertThat(m.energy().energyPerRequestJoules()).isCloseTo(128, within(0.128));
        assertThat(m.energy().energyPerOutputTokenJoules()).isCloseTo(128 / 5.0, within(0.0256));
        assertThat(m.gpus().get(0).prefillBusySeconds()).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void aMixedIterationDrawsPrefillPowerAndJumpedDecodeRunsDrawDecodePower() {
        // Request 0 (prompt 10, output 100) runs from 0 to 1.00; request 1 arrives at 0.105 and prefills in the mixed
        // iteration 0.11–0.12, then decodes to 0.14. Prefill power 0–0.01 and 0.11–0.12 (0.02 s), decode power the
        // other 0.98 s, never idle: 800 · 0.02 + 500 · 0.98 = 506 J, stepped or jumped.
        for (boolean fast : new boolean[] {true, false}) {
            RunMetrics m = run(fast, new double[] {0.0, 10, 100}, new double[] {0.105, 10, 3});
            assertThat(m.energy().energyJoules()).isCloseTo(506, within(506 * 1e-3));
            assertThat(m.energy().energyPerOutputTokenJoules()).isCloseTo(506 / 103.0, within(506 / 103.0 * 1e-3));
        }
    }

    @Test
    void energyIsUnknownWithoutPowerFigures() {
        SimulationResult r = new Simulation(List.of(new ReplicaSetup(LIMITS, AffineStepTimeModel.constant(0.01),
                new ContinuousBatchingScheduler())), new RoundRobinRouter(),
                ListWorkloadSource.ofRows(new double[] {0, 10, 2}), SimulationOptions.DEFAULT).run();
        assertThat(RunMetrics.of(r).energy().energyJoules()).isNaN();
    }

    @Test
    void aPowerCapSlowsComputeByTheFittedShapeAndCapsEveryState() {
        // H100-like: 700 W TDP, 70 W idle, prefill at TDP; a cap at 70 % leaves h = (490 − 70) / (700 − 70) = 2/3 of
        // the dynamic headroom: compute at (2/3)^0.647 = 0.769 of full speed, i.e. prompts 1.30× slower (Splitwise's
        // power-capped H100 rows); decode at 61 % of TDP (427 W) stays below the 490 W cap.
        GpuPower h100 = new GpuPower(700, 70, 1.0, 0.61, "test");
        assertThat(1 / h100.computeScale(0.7)).isCloseTo(1.30, within(0.005));
        GpuPower capped = h100.capped(0.7);
        assertThat(capped.prefillWatts()).isCloseTo(490, within(1e-9));
        assertThat(capped.decodeWatts()).isCloseTo(427, within(1e-9));
        assertThat(h100.computeScale(1.0)).isEqualTo(1.0);
    }
}
