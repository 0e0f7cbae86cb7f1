package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPlan;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * Parallel-stream serving: N streams on one GPU, their context and generation work overlapping. Each
 * stream is a replica with continuous batching whose step-time model is the GPU's slowed by contention
 * ({@link ContentionStepTimeModel}) and whose KV cache is the GPU's blocks split evenly (⌊blocks / N⌋
 * each); the other limits ({@code max_num_seqs}, the token budget) are per stream. A stream router
 * picks the stream ({@link StreamStrategy}). Replicas are laid out GPU by GPU: stream s of GPU g is
 * replica g·N + s; each stream's busy fraction is its utilisation.
 */
public final class ParallelStreams {
    private ParallelStreams() {
    }

    /**
     * The streams of {@code gpus} GPUs and their router.
     *
     * @param pool                  the model replicas (one per GPU): each GPU's step-time model is a stream running
     *                              alone; its KV blocks are split among the streams
     * @param streams               N, streams per GPU
     * @param overlapEfficiency     e ∈ [0, 1]
     * @param strategy              how a request's stream is chosen
     * @param contextRatioThreshold prompt / output ratio above which {@code smart} treats a request as context-heavy
     */
    public static ReplicaLayout build(ReplicaPool pool, int streams, double overlapEfficiency, StreamStrategy strategy,
                                      double contextRatioThreshold) {
        List<ReplicaPlan> setups = new ArrayList<>(pool.replicas() * streams);
        for (int gpu = 0; gpu < pool.replicas(); gpu++) {
            ReplicaConfig gpuConfig = pool.config(gpu);
            int blocks = gpuConfig.kvBlocks() / streams;
            ConfigException.require(blocks >= 1, "streams", "must leave each stream at least one KV block (the GPU has "
                    + gpuConfig.kvBlocks() + ")", streams);
            ReplicaConfig streamConfig = gpuConfig.withKvBlocks(blocks);
            ConfigException.require(pool.model(gpu).pipelineStages() == 1, "scheduler.type",
                    "parallel_stream needs replicas without pipeline parallelism (pp = 1)", "pp = "
                            + pool.model(gpu).pipelineStages());
            StepTimeModel streamModel = new ContentionStepTimeModel(pool.model(gpu), streams, overlapEfficiency);
            for (int s = 0; s < streams; s++) {
                setups.add(new ReplicaSetup(streamConfig, streamModel, new ContinuousBatchingScheduler()));
            }
        }
        return new ReplicaLayout(setups, strategy.router(streams, contextRatioThreshold));
    }
}
