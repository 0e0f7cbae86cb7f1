package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;
import io.servesim.core.sched.BatchSchedulerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline-parallel replica run as vLLM runs it: p = {@code model.pipelineStages()} virtual engines, each with
 * its own scheduler, its own sequences and ⌊kvBlocks / p⌋ of the replica's KV blocks, share one pipeline of p
 * stages, so up to p iterations are in flight at once. The other limits of {@code config} (max_num_seqs, the token
 * budget, the queue length) apply to each virtual engine, as each of vLLM's per-engine schedulers gets the whole
 * scheduler configuration. With p = 1 this is a plain replica.
 *
 * @param config           the limits of the replica; {@code kvBlocks} is the replica's total
 * @param model            the step-time model; its pipeline stages are the number of virtual engines
 * @param schedulerFactory makes the scheduler of each virtual engine, given the engine's index in the cluster
 * @param power            the power of its GPUs by state, or null when unknown
 */
public record PipelineReplicaSetup(ReplicaConfig config, StepTimeModel model, BatchSchedulerFactory schedulerFactory,
                                   GpuPower power) implements ReplicaPlan {

    /** A pipeline whose GPUs' power is unknown. */
    public PipelineReplicaSetup(ReplicaConfig config, StepTimeModel model, BatchSchedulerFactory schedulerFactory) {
        this(config, model, schedulerFactory, null);
    }

    public PipelineReplicaSetup {
        ConfigException.require(config.kvBlocks() >= model.pipelineStages(), "kv_blocks",
                "must be at least the pipeline stages (" + model.pipelineStages() + "): each virtual engine needs a block",
                config.kvBlocks());
    }

    @Override
    public int virtualEngines() {
        return model.pipelineStages();
    }

    @Override
    public List<BatchScheduler> schedulers(int firstEngineIndex) {
        List<BatchScheduler> schedulers = new ArrayList<>(virtualEngines());
        for (int v = 0; v < virtualEngines(); v++) {
            schedulers.add(schedulerFactory.create(firstEngineIndex + v));
        }
        return schedulers;
    }
}
