package io.servesim.core.model;

/**
 * Predicts how long one iteration of a batch takes on one replica (a model on TP × PP GPUs).
 * Implementations are pure functions of the batch shape: no state changes, no allocation on the
 * {@link #stageSeconds} path, so the engine may call them in its innermost loop.
 */
public interface StepTimeModel {

    /**
     * Seconds for one pipeline stage to run the batch, including the tensor-parallel all-reduces of
     * that stage. With {@code pipelineStages() == 1} this is the whole iteration.
     */
    double stageSeconds(BatchShape batch);

    /** Seconds to send the batch's activations from one stage to the next (0 without PP). */
    double stageTransferSeconds(BatchShape batch);

    /** Number of pipeline stages (the PP degree), ≥ 1. */
    int pipelineStages();

    /** Seconds for one iteration when the batch passes every stage back to back (no overlap). */
    default double iterationSeconds(BatchShape batch) {
        int stages = pipelineStages();
        double stage = stageSeconds(batch);
        return stages == 1 ? stage : stages * stage + (stages - 1) * stageTransferSeconds(batch);
    }

    /** The terms that make up {@link #stageSeconds}, for reports and the steptime calculator. */
    StepTimeBreakdown breakdown(BatchShape batch);
}
