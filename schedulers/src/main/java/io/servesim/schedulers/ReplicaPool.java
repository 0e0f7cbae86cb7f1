package io.servesim.schedulers;

import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.model.StepTimeModel;

import java.util.Collections;
import java.util.List;

/**
 * The hardware side of a run as schedulers see it: model replicas (GPUs or TP/PP groups) with the
 * same serving limits, each with its own step-time model (replicas placed differently on the
 * network communicate at different costs).
 */
public record ReplicaPool(ReplicaConfig config, List<StepTimeModel> models) {
    public ReplicaPool {
        models = List.copyOf(models);
        ConfigException.require(!models.isEmpty(), "replicas", "must be >= 1", 0);
    }

    /** {@code replicas} identical replicas. */
    public ReplicaPool(ReplicaConfig config, StepTimeModel model, int replicas) {
        this(config, Collections.nCopies(checked(replicas), model));
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
}
