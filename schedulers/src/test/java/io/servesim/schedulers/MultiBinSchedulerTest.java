package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.batch.BinSelectionPolicy;
import io.servesim.schedulers.batch.CapacityPolicy;
import io.servesim.schedulers.batch.LengthBins;
import io.servesim.schedulers.batch.OutputLengthPredictor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MultiBinSchedulerTest {

    @Test
    void oneBinIsExactlyDynamicBatching() {
        // Tight KV (preemptions: the memory controller is off), a binding SLA target, chunking, timeouts and queue limits, 2 replicas.
        ReplicaConfig config = new ReplicaConfig(32, 1024, true, 256, 150, 16, 4096, 400, 8.0);
        StepTimeModel model = new ContextDependentModel(0.008, 6e-8, 1e-5);
        SchedulerSpec.Dynamic dynamic = new SchedulerSpec.Dynamic(CapacityPolicy.MAX_UTILIZATION, false, 0.95, 0.8,
                true, 0.12, 2, 1.0, 0.7);
        for (BinSelectionPolicy policy : BinSelectionPolicy.values()) {
            SchedulerSpec.MultiBin oneBin = new SchedulerSpec.MultiBin(1, SchedulerSpec.Predictor.NOISY, null, 0.5,
                    policy, dynamic);
            List<Long> a = run(dynamic, config, model);
            List<Long> b = run(oneBin, config, model);
            assertThat(RunFingerprint.firstDifference(a, b)).as(policy.name()).isEqualTo(a.size());
            assertThat(b).isEqualTo(a);
        }
    }

    private static List<Long> run(SchedulerSpec spec, ReplicaConfig config, StepTimeModel model) {
        WorkloadSource workload = TestWorkloads.poisson(77, 4000, 70, 1, 900, 1, 400);
        SimulationResult r = Scenarios.run(2, config, model,
                Scenarios.REGISTRY.batchSchedulers(spec, Scenarios.context(workload)), new RoundRobinRouter(), workload, true);
        assertThat(r.cluster().replica(0).stats().preemptions() + r.cluster().replica(1).stats().preemptions()).isPositive();
        return RunFingerprint.of(r);
    }

    @Test
    void binBoundariesAreEqualMassQuantiles() {
        // Outputs uniform on {1 … 100}: Q(1/4) = 25, Q(2/4) = 50, Q(3/4) = 75.
        WorkloadSource w = Scenarios.saturated(1, 1, 1, 100);
        LengthBins bins = new LengthBins(4, w::outputTokensQuantile, OutputLengthPredictor.exact());
        assertThat(bins.upperBounds()).containsExactly(25, 50, 75);
    }

    @Test
    void noisyPredictionsDependOnlyOnSeedAndRequest() {
        OutputLengthPredictor p = new OutputLengthPredictor(OutputLengthPredictor.Noise.GAUSSIAN, 0.3, 42);
        OutputLengthPredictor q = new OutputLengthPredictor(OutputLengthPredictor.Noise.GAUSSIAN, 0.3, 42);
        double forward = p.predictTokens(7, 100);
        for (int r = 1000; r > 0; r--) {
            q.predictTokens(r, 50);
        }
        assertThat(q.predictTokens(7, 100)).isEqualTo(forward).isNotEqualTo(100.0);
        OutputLengthPredictor uniform = new OutputLengthPredictor(OutputLengthPredictor.Noise.UNIFORM, 0.3, 42);
        double sumAbs = 0;
        for (int r = 0; r < 10_000; r++) {
            double relative = uniform.predictTokens(r, 1000) / 1000 - 1;
            assertThat(Math.abs(relative)).isLessThanOrEqualTo(0.3);
            sumAbs += Math.abs(relative);
        }
        // E|U[−0.3, 0.3]| = 0.15.
        assertThat(sumAbs / 10_000).isBetween(0.14, 0.16);
    }
}
