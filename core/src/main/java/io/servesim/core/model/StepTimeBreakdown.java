package io.servesim.core.model;

/**
 * The terms of one stage's iteration time, in seconds. {@code totalSeconds} is what
 * {@link StepTimeModel#stageSeconds} returns; the other fields say where it comes from.
 *
 * @param linearComputeSeconds    FLOPs of the linear layers / (peak · compute efficiency)
 * @param attentionComputeSeconds attention FLOPs / (peak · compute efficiency)
 * @param weightReadSeconds       weight bytes / (HBM bandwidth · memory efficiency)
 * @param kvReadSeconds           KV-cache bytes read and written / (HBM bandwidth · memory efficiency)
 * @param computeBound            whether compute (rather than memory) sets the layer time
 * @param communicationSeconds    tensor-parallel all-reduces on the topology
 * @param overheadSeconds         fixed per-layer and per-iteration overheads
 * @param totalSeconds            the stage time
 */
public record StepTimeBreakdown(double linearComputeSeconds, double attentionComputeSeconds,
                                double weightReadSeconds, double kvReadSeconds, boolean computeBound,
                                double communicationSeconds, double overheadSeconds, double totalSeconds) {
}
