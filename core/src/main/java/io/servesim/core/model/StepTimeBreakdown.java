package io.servesim.core.model;

/**
 * The terms of one stage's iteration time, in seconds. {@code totalSeconds} is what
 * {@link StepTimeModel#stageSeconds} returns; the other fields say where it comes from.
 *
 * @param gemmSeconds          the linear layers (and the LM head on the last stage), kernel floors included
 * @param attentionSeconds     prefill and decode attention kernels
 * @param elementwiseSeconds   norms, rotary embedding and activation
 * @param communicationSeconds tensor-parallel all-reduces on the topology
 * @param overheadSeconds      host work of the iteration (fixed and per sequence)
 * @param computeBound         whether the GEMMs are past the ridge (compute rather than weight reads set their time)
 * @param cudaGraph            whether the iteration replays a CUDA graph (a decode-only batch small enough)
 * @param totalSeconds         the stage time
 */
public record StepTimeBreakdown(double gemmSeconds, double attentionSeconds, double elementwiseSeconds,
                                double communicationSeconds, double overheadSeconds, boolean computeBound,
                                boolean cudaGraph, double totalSeconds) {
}
