package io.servesim.core.engine;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.sched.ReplicaView;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeBreakdown;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.sched.SingleQueueScheduler;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running decode iterations back to back between events must give exactly — bit for bit — what
 * posting one event per iteration gives, on random scenarios with chunking, preemption, timeouts,
 * queue limits and several replicas.
 */
class FastForwardExactnessTest {

    record PipelinedModel(ContextDependentModel base, int stages) implements StepTimeModel {
        @Override
        public double stageSeconds(BatchShape b) {
            return stageSeconds(b, stages - 1);
        }

        @Override
        public double stageSeconds(BatchShape b, int stage) {
            return base.stageSeconds(b) * (1 + 0.2 * stage);
        }

        @Override
        public double communicationSeconds(BatchShape b, int stage) {
            return base.communicationSeconds(b, stage);
        }

        @Override
        public double stageTransferSeconds(BatchShape b) {
            return 2e-5 + 1e-8 * b.totalTokens();
        }

        @Override
        public int pipelineStages() {
            return stages;
        }

        @Override
        public StepTimeBreakdown breakdown(BatchShape batch) {
            throw new IllegalStateException("not used");
        }
    }

    @RepeatedTest(12)
    void fastForwardEqualsSteppingBitForBit(RepetitionInfo info) {
        RandomScenario c = RandomScenario.draw(1000L + info.getCurrentRepetition());
        SimulationResult fast = run(c.replicas(), c.config(), c.model(), ContinuousBatchingScheduler::new, c.workload(), true);
        SimulationResult stepped = run(c.replicas(), c.config(), c.model(), ContinuousBatchingScheduler::new, c.workload(),
                false);

        RunFingerprint.assertBitIdentical(fast, stepped);
        assertJumped(fast, stepped);
    }

    /**
     * The fast run must have jumped, or comparing it with the stepped run proves nothing: stepping posts at least one
     * event per iteration, so the stepped run has at least as many events as iterations, and a run that jumped over
     * decode iterations has fewer events than iterations (and fewer than the stepped run).
     */
    private static void assertJumped(SimulationResult fast, SimulationResult stepped) {
        assertThat(stepped.events()).isGreaterThanOrEqualTo(iterations(stepped));
        assertThat(fast.events()).as("events of the fast-forwarded run").isLessThan(iterations(fast));
        assertThat(fast.events()).isLessThan(stepped.events());
    }

    private static long iterations(SimulationResult result) {
        long iterations = 0;
        for (int r = 0; r < result.cluster().replicaCount(); r++) {
            iterations += result.cluster().replica(r).stats().iterations();
        }
        return iterations;
    }

    /** A request-level batch of up to 6, admitted only into an empty replica; finished sequences hold their slot. */
    static final class HoldingBatchScheduler extends SingleQueueScheduler {
        @Override
        public void admit(ReplicaView replica) {
            if (replica.runningCount() > 0) {
                return;
            }
            for (int n = 0; n < 6 && !waiting.isEmpty() && replica.fits(waiting.peekFirst()); n++) {
                replica.admit(waiting.pollFirst());
            }
        }

        @Override
        public boolean holdsFinishedSlots() {
            return true;
        }
    }

    @RepeatedTest(4)
    void theWorkOfJumpedRunsEqualsSteppedOnesOnTheCalibratedModel(RepetitionInfo info) {
        // The random scenarios on Llama-2-7B / H100-SXM: the FLOPs and HBM bytes a jumped run adds in closed form (with
        // everything else of the fingerprint) are those of the same run stepped.
        RandomScenario c = RandomScenario.draw(5000L + info.getCurrentRepetition());
        Catalog catalog = Catalog.load();
        StepTimeModel model = RooflineStepTimeModel.singleGpu(catalog.model("Llama-2-7B"), catalog.gpu("H100-SXM"));
        SimulationResult fast = run(c.replicas(), c.config(), model, ContinuousBatchingScheduler::new, c.workload(), true);
        SimulationResult stepped = run(c.replicas(), c.config(), model, ContinuousBatchingScheduler::new, c.workload(),
                false);
        RunFingerprint.assertBitIdentical(fast, stepped);
        assertJumped(fast, stepped);
        assertThat(fast.cluster().replica(0).stats().hbmBytes()).isPositive();
    }

    @RepeatedTest(6)
    void heldSlotsUnderKvPressureGiveTheSameResultsFastAndStepped(RepetitionInfo info) {
        // Request-level batches on a KV cache so small that growing batches preempt: the held finished slots must be
        // released at the boundary where the last live sequence is preempted, in both modes alike.
        SplittableRandom random = new SplittableRandom(3000L + info.getCurrentRepetition());
        ReplicaConfig config = new ReplicaConfig(6, 4096, false, 4096, 60 + random.nextInt(60), 16, 4096, 1 << 20,
                Double.POSITIVE_INFINITY);
        StepTimeModel model = new ContextDependentModel(0.005, 1e-7, 1e-5);
        long workloadSeed = random.nextLong();
        SimulationResult fast = run(1, config, model, HoldingBatchScheduler::new,
                TestWorkloads.poisson(workloadSeed, 400, 30, 1, 200, 1, 300), true);
        SimulationResult stepped = run(1, config, model, HoldingBatchScheduler::new,
                TestWorkloads.poisson(workloadSeed, 400, 30, 1, 200, 1, 300), false);
        assertThat(fast.cluster().replica(0).stats().preemptions()).isPositive();
        assertThat(fast.finishedRequests()).isEqualTo(400);
        RunFingerprint.assertBitIdentical(fast, stepped);
        assertJumped(fast, stepped);
    }

    @RepeatedTest(4)
    void pipelineReplicasAreDeterministicNextToFastForwardedOnes(RepetitionInfo info) {
        // A pipeline replica of 2–4 stages (as many virtual engines) next to a plain replica, under a load that
        // preempts and chunks: the pipeline's engines step one event per iteration whatever the option, so fast
        // and stepped runs, and two fast runs, must agree bit for bit.
        SplittableRandom random = new SplittableRandom(2000L + info.getCurrentRepetition());
        ReplicaConfig config = new ReplicaConfig(8 + random.nextInt(40), 2048, random.nextBoolean(), 512,
                200 + random.nextInt(300), 16, 4096, 1 << 20, Double.POSITIVE_INFINITY);
        ContextDependentModel stage = new ContextDependentModel(0.004, 1e-7 * random.nextDouble(), 2e-5);
        PipelinedModel pipelined = new PipelinedModel(stage, 2 + random.nextInt(3));
        long workloadSeed = random.nextLong();
        double rate = 20 + random.nextDouble() * 60;

        List<List<Long>> fingerprints = new ArrayList<>();
        long preemptions = 0;
        for (boolean fast : new boolean[] {true, true, false}) {
            List<ReplicaPlan> plans = List.of(
                    new PipelineReplicaSetup(config, pipelined, engine -> new ContinuousBatchingScheduler()),
                    new ReplicaSetup(config, stage, new ContinuousBatchingScheduler()));
            SimulationResult result = new Simulation(plans, new RoundRobinRouter(),
                    TestWorkloads.poisson(workloadSeed, 1500, rate, 1, 900, 1, 400),
                    SimulationOptions.DEFAULT.withFastForward(fast)).run();
            assertThat(result.cluster().replicaCount()).isEqualTo(pipelined.stages() + 1);
            preemptions += result.cluster().replica(0).stats().preemptions();
            fingerprints.add(RunFingerprint.of(result));
        }
        assertThat(preemptions).isPositive();
        assertThat(fingerprints.get(1)).isEqualTo(fingerprints.get(0));
        assertThat(fingerprints.get(2)).isEqualTo(fingerprints.get(0));
    }

    private static SimulationResult run(int replicas, ReplicaConfig config, StepTimeModel model,
                                        Supplier<BatchScheduler> schedulers,
                                        io.servesim.core.workload.WorkloadSource workload, boolean fast) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            setups.add(new ReplicaSetup(config, model, schedulers.get()));
        }
        return new Simulation(setups, new RoundRobinRouter(), workload, SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

}
