package io.servesim.core.metrics;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MFU and MBU of a run against a hand count of its iterations' FLOPs and bytes (the per-iteration counts are checked
 * in {@code IterationWorkTest}): Llama-2-7B on one H100-SXM (989 TFLOP/s BF16, 3,350 GB/s).
 */
class UtilisationTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final ReplicaConfig LIMITS = new ReplicaConfig(8, 2048, false, 4096, 1000, 16, 1 << 20, 1 << 20,
            Double.POSITIVE_INFINITY);
    /** Llama-2-7B weights, bytes; a KV token, bytes (and the attention FLOPs per context token). */
    private static final double WEIGHTS = 13_214_154_752.0;
    private static final double KV_TOKEN = 524_288.0;
    /** Linear-layer FLOPs per token, LM-head FLOPs per logit. */
    private static final double LINEAR = 12_952_010_752.0;
    private static final double LOGIT = 262_144_000.0;

    private static SimulationResult run(boolean fast, double[]... rows) {
        RooflineStepTimeModel model = RooflineStepTimeModel.singleGpu(CATALOG.model("Llama-2-7B"), CATALOG.gpu("H100-SXM"));
        return new Simulation(List.of(new ReplicaSetup(LIMITS, model, new ContinuousBatchingScheduler())),
                new RoundRobinRouter(), ListWorkloadSource.ofRows(rows), SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

    @Test
    void mfuAndMbuAreTheIterationsWorkOverPeakTimesTheHorizon() {
        // Four requests at 0, prompt 100, output 51: one prefill iteration of the four prompts (each chunk 100 · 101 / 2
        // = 5,050 causal pairs; weights read once; its four logits give the first tokens), then 50 decode iterations of
        // B = 4 whose sequences attend to 101 + j tokens each in iteration j = 0 … 49: Σ context = 4 · Σ (101 + j)
        // = 4 · (50 · 101 + 1,225) = 25,100 tokens.
        double contextSum = 4 * (50 * 101 + 49 * 50 / 2);
        double bytes = 51 * WEIGHTS + contextSum * KV_TOKEN;
        double flops = 400 * LINEAR + 4 * LOGIT + 4 * 5050 * KV_TOKEN + 50 * 4 * (LINEAR + LOGIT) + contextSum * KV_TOKEN;
        for (boolean fast : new boolean[] {true, false}) {
            SimulationResult r = run(fast, new double[] {0, 100, 51}, new double[] {0, 100, 51},
                    new double[] {0, 100, 51}, new double[] {0, 100, 51});
            assertThat(r.cluster().replica(0).stats().iterations()).isEqualTo(51);
            assertThat(r.cluster().replica(0).stats().hbmBytes()).isCloseTo(bytes, within(bytes * 1e-12));
            assertThat(r.cluster().replica(0).stats().flops()).isCloseTo(flops, within(flops * 1e-12));
            RunMetrics m = RunMetrics.of(r);
            double horizon = r.horizonSeconds();
            // never idle: the horizon is the sum of the step times
            assertThat(r.cluster().replica(0).stats().busySeconds()).isCloseTo(horizon, within(1e-12));
            assertThat(m.mbu()).isCloseTo(bytes / (horizon * 3350e9), within(1e-12));
            assertThat(m.mfu()).isCloseTo(flops / (horizon * 989e12), within(1e-12));
            assertThat(m.columns()).containsEntry("mfu", m.mfu()).containsEntry("mbu", m.mbu());
            // a memory-bound decode: most of the bandwidth, little of the compute
            assertThat(m.mbu()).isBetween(0.5, 1.0);
            assertThat(m.mfu()).isLessThan(0.05);
        }
    }

    @Test
    void aDecodeIterationsMbuIsWeightsPlusKvOverItsStepTimeAndBandwidth() {
        // One request, prompt 1,000, output 2: its one decode iteration (context 1,001) on an otherwise idle run after
        // the prefill. MBU over that iteration alone = (weights + 1,001 KV tokens) / (its step time · 3,350 GB/s).
        SimulationResult prefillOnly = run(true, new double[] {0, 1000, 1});
        SimulationResult withDecode = run(true, new double[] {0, 1000, 2});
        double stepSeconds = withDecode.horizonSeconds() - prefillOnly.horizonSeconds();
        double bytes = withDecode.cluster().replica(0).stats().hbmBytes() - prefillOnly.cluster().replica(0).stats().hbmBytes();
        assertThat(bytes).isEqualTo(WEIGHTS + 1001 * KV_TOKEN);
        assertThat(bytes / (stepSeconds * 3350e9)).as("MBU of one decode step at B = 1").isBetween(0.5, 1.0);
    }

    @Test
    void mfuAndMbuAreUnknownForAModelThatDoesNotCountWork() {
        SimulationResult r = new Simulation(List.of(new ReplicaSetup(LIMITS, AffineStepTimeModel.constant(0.01),
                new ContinuousBatchingScheduler())), new RoundRobinRouter(),
                ListWorkloadSource.ofRows(new double[] {0, 10, 2}), SimulationOptions.DEFAULT).run();
        assertThat(RunMetrics.of(r).mfu()).isNaN();
        assertThat(RunMetrics.of(r).mbu()).isNaN();
    }
}
