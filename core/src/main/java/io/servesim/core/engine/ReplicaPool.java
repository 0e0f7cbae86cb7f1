package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchSchedulerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hardware side of a run: model replicas (GPUs or TP/PP groups), each with its own serving limits (replicas of
 * different GPU types have KV caches of different sizes), step-time model (replicas placed differently on the network
 * communicate at different costs) and GPU power. Schedulers turn it into the engine's replicas with {@link #plans}.
 *
 * @param configs the limits of each replica; {@code kvBlocks} is that replica's KV cache
 * @param models  the step-time model of each replica
 * @param powers  the power of each replica's GPUs by state; an entry is null when unknown
 */
public record ReplicaPool(List<ReplicaConfig> configs, List<StepTimeModel> models, List<GpuPower> powers) {
    public ReplicaPool {
        models = List.copyOf(models);
        configs = List.copyOf(configs);
        powers = Collections.unmodifiableList(new ArrayList<>(powers));
        ConfigException.require(!models.isEmpty(), "replicas", "must be >= 1", 0);
        if (configs.size() != models.size() || powers.size() != models.size()) {
            throw new IllegalArgumentException("a limit, a step-time model and a power per replica: " + configs.size()
                    + ", " + models.size() + ", " + powers.size());
        }
    }

    /** Replicas with the same limits, whose GPUs are of one type ({@code power} null when unknown). */
    public ReplicaPool(ReplicaConfig config, List<StepTimeModel> models, GpuPower power) {
        this(Collections.nCopies(models.size(), config), models, Collections.nCopies(models.size(), power));
    }

    /** Replicas whose GPUs' power is unknown. */
    public ReplicaPool(ReplicaConfig config, List<StepTimeModel> models) {
        this(config, models, (GpuPower) null);
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

    /** The replicas of {@code pools}, one pool after the other (the replica groups of a mixed deployment). */
    public static ReplicaPool concat(List<ReplicaPool> pools) {
        List<ReplicaConfig> configs = new ArrayList<>();
        List<StepTimeModel> models = new ArrayList<>();
        List<GpuPower> powers = new ArrayList<>();
        for (ReplicaPool pool : pools) {
            configs.addAll(pool.configs);
            models.addAll(pool.models);
            powers.addAll(pool.powers);
        }
        return new ReplicaPool(configs, models, powers);
    }

    public int replicas() {
        return models.size();
    }

    public StepTimeModel model(int replica) {
        return models.get(replica);
    }

    /** The limits of replica {@code replica}. */
    public ReplicaConfig config(int replica) {
        return configs.get(replica);
    }

    /**
     * The engine replicas with schedulers from {@code schedulers}: a plain replica where the model has
     * one pipeline stage, a pipeline of virtual engines ({@link PipelineReplicaSetup}) otherwise.
     */
    public List<ReplicaPlan> plans(BatchSchedulerFactory schedulers) {
        List<ReplicaPlan> plans = new ArrayList<>(models.size());
        for (int r = 0; r < models.size(); r++) {
            StepTimeModel model = models.get(r);
            plans.add(model.pipelineStages() == 1
                    ? new ReplicaSetup(configs.get(r), model, schedulers.create(r), powers.get(r))
                    : new PipelineReplicaSetup(configs.get(r), model, schedulers, powers.get(r)));
        }
        return plans;
    }
}
