package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.StepTimeModel;

/**
 * One iteration of an engine computed on its own — a prefill or mixed iteration, a decode iteration of a model
 * without a closed form, or any iteration of a pipelined engine, whose stages it reserves on the shared
 * {@link Pipeline} when it is formed and commits when it ends.
 */
final class IterationStep {
    private final StepTimeModel model;
    private final IterationWork work;
    private final Pipeline pipeline;
    private final double[] stageSeconds;
    private final double[] stageCommunicationSeconds;
    private double transferSeconds;

    IterationStep(StepTimeModel model, Pipeline pipeline) {
        this.model = model;
        this.work = model.work();
        this.pipeline = pipeline;
        int stages = pipeline == null ? 0 : model.pipelineStages();
        this.stageSeconds = new double[stages];
        this.stageCommunicationSeconds = new double[stages];
    }

    /**
     * Projects the iteration formed in {@code shape}, starting at {@code t} with {@code freeBlocks} KV blocks free once
     * its decode steps took theirs, onto the engine's totals in {@code stats}.
     */
    void project(BatchShape shape, double t, int freeBlocks, int totalBlocks, ReplicaStats stats, Projection p) {
        double dt;
        double communication;
        if (pipeline == null) {
            dt = model.stageSeconds(shape);
            communication = model.communicationSeconds(shape, 0);
        } else {
            communication = 0;
            model.stagesSeconds(shape, stageSeconds);
            for (int s = 0; s < stageSeconds.length; s++) {
                stageCommunicationSeconds[s] = model.communicationSeconds(shape, s);
                communication += stageCommunicationSeconds[s];
            }
            transferSeconds = model.stageTransferSeconds(shape);
            communication += (stageSeconds.length - 1) * transferSeconds;
            dt = pipeline.reserve(t, stageSeconds, transferSeconds) - t;
        }
        int used = totalBlocks - freeBlocks;
        p.iterations = 1;
        p.endTime = t + dt;
        p.busySeconds = stats.busySeconds + dt;
        p.prefillBusySeconds = stats.prefillBusySeconds + (shape.prefillTokens > 0 ? dt : 0);
        p.communicationSeconds = stats.communicationSeconds + communication;
        p.kvBlockSeconds = stats.kvBlockSeconds + used * dt;
        p.flops = work == null ? 0 : stats.flops + work.flops(shape);
        p.hbmBytes = work == null ? 0 : stats.hbmBytes + work.hbmBytes(shape);
        p.freeBlocks = freeBlocks;
        p.peakUsedBlocks = used;
        p.lastIterationSeconds = dt;
    }

    /** The iteration ended: its stage times count on the pipeline (nothing without one). */
    void commit() {
        if (pipeline != null) {
            pipeline.commit(stageSeconds, stageCommunicationSeconds, transferSeconds);
        }
    }
}
