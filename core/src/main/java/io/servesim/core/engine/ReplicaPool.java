package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchSchedulerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hardware side of a run: model replicas (GPUs or TP/PP groups) with the same serving limits,
 * each with its own step-time model (replicas placed differently on the network communicate at
 * different costs). Schedulers turn it into the engine's replicas with {@link #plans}.
 *
 * @param config the limits of each replica; {@code kvBlocks} is one replica's KV cache
 * @param models the step-time model of each replica
 * @param power  the power of each of their GPUs by state (one GPU type), or null when unknown
 */
public record ReplicaPool(ReplicaConfig config, List<StepTimeModel> models, GpuPower power) {
    public ReplicaPool {
        models = List.copyOf(models);
        ConfigException.require(!models.isEmpty(), "replicas", "must be >= 1", 0);
    }

    /** Replicas whose GPUs' power is unknown. */
    public ReplicaPool(ReplicaConfig config, List<StepTimeModel> models) {
        this(config, models, null);
    }

    /** {@code replicas} identical replicas whose GPUs' power is unknown. */
    public ReplicaPool(ReplicaConfig config, StepTimeModel model, int replicas) {
        this(config, model, replicas, null);
    }

    /** {@code replicas} identical replicas. */
    public ReplicaPool(ReplicaConfig config, StepTimeModel model, int replicas, GpuPower power) {
        this(config, Collections.nCopies(checked(replicas), model), power);
    }

    private static int checked(int replicas) {
        ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
        return replicas;
    }

    public int replicas() {
        return models.size();
    }

    public StepTimeModel model(int replica) {
        return models.get(replica);
    }

    /**
     * The engine replicas with schedulers from {@code schedulers}: a plain replica where the model has
     * one pipeline stage, a pipeline of virtual engines ({@link PipelineReplicaSetup}) otherwise.
     */
    public List<ReplicaPlan> plans(BatchSchedulerFactory schedulers) {
        List<ReplicaPlan> plans = new ArrayList<>(models.size());
        for (int r = 0; r < models.size(); r++) {
            StepTimeModel model = models.get(r);
            plans.add(model.pipelineStages() == 1 ? new ReplicaSetup(config, model, schedulers.create(r), power)
                    : new PipelineReplicaSetup(config, model, schedulers, power));
        }
        return plans;
    }
}
