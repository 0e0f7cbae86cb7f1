package io.servesim.core.testing;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.DecodeCost;
import io.servesim.core.model.StepTimeBreakdown;
import io.servesim.core.model.StepTimeModel;

/**
 * A roofline-shaped step model for exactness tests: the max of a compute and a memory term, the memory term
 * growing with the KV read, with a closed form for decode-only batches so runs of decode iterations are summed.
 */
public record ContextDependentModel(double weightSeconds, double perKvTokenSeconds, double perTokenSeconds)
        implements StepTimeModel {

    @Override
    public double stageSeconds(BatchShape b) {
        double memory = weightSeconds + perKvTokenSeconds * (b.decodeContextTokens + b.prefillContextTokens);
        double compute = perTokenSeconds * b.totalTokens() + 1e-9 * b.prefillAttentionPairs;
        return Math.max(memory, compute) + 1e-4;
    }

    /** A share of the compute term, so that communication seconds vary from iteration to iteration. */
    @Override
    public double communicationSeconds(BatchShape b, int stage) {
        return 0.25 * perTokenSeconds * b.totalTokens();
    }

    /** On decode-only batches: 1e-4 + max(kv · x + weight, perToken · B). */
    @Override
    public DecodeCost decodeCost(int sequences) {
        return new DecodeCost(1e-4, perKvTokenSeconds, weightSeconds, 0, perTokenSeconds * sequences);
    }

    @Override
    public double stageTransferSeconds(BatchShape batch) {
        return 0;
    }

    @Override
    public int pipelineStages() {
        return 1;
    }

    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        throw new IllegalStateException("not used");
    }
}
