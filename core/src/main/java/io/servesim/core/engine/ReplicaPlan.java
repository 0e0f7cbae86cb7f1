package io.servesim.core.engine;

import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;

import java.util.List;

/**
 * One replica of a run as the caller describes it: its serving limits, its step-time model and the schedulers of
 * the engines that run it. A {@link ReplicaSetup} runs as one engine; a {@link PipelineReplicaSetup} as one
 * virtual engine per pipeline stage on a shared pipeline. The router sees every engine ({@link Cluster}).
 */
public sealed interface ReplicaPlan permits ReplicaSetup, PipelineReplicaSetup {

    /** The limits of the whole replica; {@code kvBlocks} is split evenly over its virtual engines. */
    ReplicaConfig config();

    StepTimeModel model();

    /** The power of each of its GPUs by state, or null when unknown (then its energy is NaN). */
    GpuPower power();

    /** Engines the replica runs as (virtual engines), ≥ 1. */
    int virtualEngines();

    /**
     * One scheduler per virtual engine, in order; the engines' indices in the cluster are
     * {@code firstEngineIndex}, {@code firstEngineIndex + 1}, …. Called once per run.
     */
    List<BatchScheduler> schedulers(int firstEngineIndex);
}
