package io.servesim.core.engine;

import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ReplicaView;

/**
 * What an engine is, as schedulers, routers and metrics see it: its place in the cluster, its limits, its step-time
 * model, its GPUs' power and the run's request table. {@link Replica} adds what it does.
 */
abstract class EngineIdentity implements ReplicaView {
    final int index;
    final int deploymentReplica;
    final int virtualEngine;
    final ReplicaConfig config;
    final StepTimeModel model;
    final GpuPower power;
    final RequestTable requests;

    EngineIdentity(int index, int deploymentReplica, int virtualEngine, ReplicaConfig config, StepTimeModel model,
                   GpuPower power, RequestTable requests) {
        this.index = index;
        this.deploymentReplica = deploymentReplica;
        this.virtualEngine = virtualEngine;
        this.config = config;
        this.model = model;
        this.power = power;
        this.requests = requests;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int deploymentReplica() {
        return deploymentReplica;
    }

    @Override
    public int virtualEngine() {
        return virtualEngine;
    }

    /** Pipeline stages of the replica (the PP degree). */
    public int pipelineStages() {
        return model.pipelineStages();
    }

    /** The power of each of the replica's GPUs by state, or null when unknown. */
    public GpuPower power() {
        return power;
    }

    @Override
    public ReplicaConfig config() {
        return config;
    }

    @Override
    public StepTimeModel stepTimeModel() {
        return model;
    }

    @Override
    public RequestTable requests() {
        return requests;
    }
}
