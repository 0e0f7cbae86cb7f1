package io.servesim.schedulers;

import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.model.StepTimeModel;

/**
 * The hardware side of a run as schedulers see it: {@code replicas} identical model replicas (GPUs
 * or TP/PP groups), each with its serving limits and its step-time model.
 */
public record ReplicaPool(ReplicaConfig config, StepTimeModel model, int replicas) {
    public ReplicaPool {
        ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
    }
}
