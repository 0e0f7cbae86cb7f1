package io.servesim.core.metrics;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    void energyByUtilisationIsPowerAtEachIterationsMfuAndMbuIntegratedOverTime() {
        // Llama-2-7B on one H100-SXM, power by utilisation: P = 70 + (700 − 70) · (1.6 · MFU + 1.23 · MBU) W in each
        // iteration, 70 W idle. One request at 1 s (prompt 500, output 300): idle 0–1 s, a prefill iteration, then
        // 299 decode iterations at context 501 + j. ∫ P dt summed iteration by iteration from the model's own step
        // time and work must match the engine's closed-form total within 0.1 %, stepped or jumped alike.
        Catalog catalog = Catalog.load();
        GpuSpec h100 = catalog.gpu("H100-SXM").withPowerModel(GpuPower.UTILISATION);
        RooflineStepTimeModel model = RooflineStepTimeModel.singleGpu(catalog.model("Llama-2-7B"), h100);
        GpuPower power = h100.power();
        IterationWork work = model.work();
        BatchShape shape = new BatchShape().addPrefillChunk(500, 0);
        double t = model.stageSeconds(shape);
        double joules = 70 * 1.0 + t * watts(power, work, shape, t);
        double busy = t;
        for (int j = 0; j < 299; j++) {
            shape.clear().setDecode(1, 501 + j);
            t = model.stageSeconds(shape);
            joules += t * watts(power, work, shape, t);
            busy += t;
        }
        double[] energy = new double[2];
        for (int fast = 0; fast < 2; fast++) {
            SimulationResult r = new Simulation(List.of(new ReplicaSetup(LIMITS, model, new ContinuousBatchingScheduler(),
                    power)), new RoundRobinRouter(), ListWorkloadSource.ofRows(new double[] {1.0, 500, 300}),
                    SimulationOptions.DEFAULT.withFastForward(fast == 1)).run();
            // the engine rounds decode terms to picoseconds: its horizon is the summed step times within 1 µs
            assertThat(r.horizonSeconds()).isCloseTo(1.0 + busy, within(1e-6));
            energy[fast] = RunMetrics.of(r).energy().energyJoules();
            assertThat(energy[fast]).isCloseTo(joules, within(joules * 1e-3));
        }
        assertThat(energy[1]).isEqualTo(energy[0]);
        // decode at B = 1 is memory-bound: well above idle, below what the state model's decode fraction draws
        double decodeWatts = watts(power, work, shape, t);
        assertThat(decodeWatts).isBetween(300.0, 700.0 * 0.9);
    }

    private static double watts(GpuPower power, IterationWork work, BatchShape shape, double seconds) {
        return 70 + (700 - 70) * (1.6 * work.mfu(work.flops(shape), seconds) + 1.23 * work.mbu(work.hbmBytes(shape), seconds));
    }

    @Test
    void powerByUtilisationNeedsTheFittedWeights() {
        assertThatThrownBy(() -> new GpuPower(700, 70, 1.0, 0.61, null, null, "utilisation", "test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mfu_weight");
        assertThatThrownBy(() -> new GpuPower(700, 70, 1.0, 0.61, 1.0, 1.0, "mfu", "test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power.model").hasMessageContaining("utilisation");
        GpuSpec bare = Catalog.load().gpu("H100-SXM");
        GpuSpec noWeights = new GpuSpec(bare.name(), bare.peakTflops(), bare.peakFp8Tflops(), bare.hbmGiB(),
                bare.hbmBandwidthGBps(), bare.nvlinkBandwidthGBps(), bare.calibration(), POWER);
        assertThatThrownBy(() -> noWeights.withPowerModel(GpuPower.UTILISATION)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("power_model").hasMessageContaining("H100-SXM");
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
