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

    /**
     * Seconds for stage {@code stage} (0 ≤ stage &lt; {@link #pipelineStages()}) to run the batch, including its
     * tensor-parallel all-reduces; at most {@link #stageSeconds(BatchShape)}. Models that do not tell stages
     * apart return the slowest stage for every stage.
     */
    default double stageSeconds(BatchShape batch, int stage) {
        return stageSeconds(batch);
    }

    /**
     * Fills {@code seconds[s]} with {@link #stageSeconds(BatchShape, int)} of every stage s (the array holds
     * {@link #pipelineStages()} entries). A model whose stages share terms computes them once here.
     */
    default void stagesSeconds(BatchShape batch, double[] seconds) {
        for (int s = 0; s < seconds.length; s++) {
            seconds[s] = stageSeconds(batch, s);
        }
    }

    /**
     * The tensor-parallel communication (all-reduce) seconds inside {@link #stageSeconds(BatchShape, int)}:
     * the part of a stage's busy time its GPUs spend communicating. 0 without TP.
     */
    default double communicationSeconds(BatchShape batch, int stage) {
        return 0;
    }

    /** Seconds to send the batch's activations from one stage to the next (0 without PP). */
    double stageTransferSeconds(BatchShape batch);

    /** Number of pipeline stages (the PP degree), ≥ 1. */
    int pipelineStages();

    /** Number of GPUs each stage is split over (the TP degree), ≥ 1. */
    default int tensorParallel() {
        return 1;
    }

    /**
     * Seconds for one iteration when the batch passes every stage back to back with nothing else in flight:
     * Σ_s stage_s + (p − 1) · transfer, which is {@link #stageSeconds(BatchShape)} without PP.
     */
    default double iterationSeconds(BatchShape batch) {
        int stages = pipelineStages();
        if (stages == 1) {
            return stageSeconds(batch);
        }
        double seconds = (stages - 1) * stageTransferSeconds(batch);
        for (int s = 0; s < stages; s++) {
            seconds += stageSeconds(batch, s);
        }
        return seconds;
    }

    /** The terms that make up {@link #stageSeconds}, for reports and the steptime calculator. */
    StepTimeBreakdown breakdown(BatchShape batch);

    /**
     * The decode-only iteration time of {@code sequences} sequences as a closed form in their context sum, or
     * {@code null} when the model has none (the engine then steps decode iterations one by one). When given, it must
     * equal {@link #stageSeconds(BatchShape)} on decode-only batches of that size (up to rounding).
     */
    default DecodeCost decodeCost(int sequences) {
        return null;
    }

    /**
     * The FLOPs and HBM bytes of an iteration over the replica's GPUs, counted as the model counts them (for MFU and
     * MBU), or {@code null} when the model does not count them (then a run's MFU and MBU are unknown).
     */
    default IterationWork work() {
        return null;
    }
}
