package io.servesim.schedulers;

import io.servesim.core.config.ConfigException;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.DecodeCost;
import io.servesim.core.model.StepTimeBreakdown;
import io.servesim.core.model.StepTimeModel;

/**
 * One of N streams sharing a GPU: every iteration takes the GPU's time multiplied by the contention
 * slowdown N / (1 + (N−1)·e), e ∈ [0, 1] the overlap efficiency, so N busy streams together deliver
 * 1 + (N−1)·e times one stream's throughput (e = 1: perfect overlap; e = 0: no gain). The slowdown is
 * constant: it does not depend on what the other streams run at that moment.
 */
public record ContentionStepTimeModel(StepTimeModel gpu, int streams, double overlapEfficiency) implements StepTimeModel {
    public ContentionStepTimeModel {
        ConfigException.require(streams >= 1, "streams", "must be >= 1", streams);
        ConfigException.require(overlapEfficiency >= 0 && overlapEfficiency <= 1, "overlap_efficiency",
                "must be in [0, 1]", overlapEfficiency);
    }

    /** N / (1 + (N−1)·e). */
    public double slowdown() {
        return streams / (1 + (streams - 1) * overlapEfficiency);
    }

    @Override
    public double stageSeconds(BatchShape batch) {
        return gpu.stageSeconds(batch) * slowdown();
    }

    @Override
    public double stageTransferSeconds(BatchShape batch) {
        return gpu.stageTransferSeconds(batch) * slowdown();
    }

    @Override
    public int pipelineStages() {
        return gpu.pipelineStages();
    }

    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        StepTimeBreakdown b = gpu.breakdown(batch);
        double s = slowdown();
        return new StepTimeBreakdown(b.gemmSeconds() * s, b.attentionSeconds() * s, b.elementwiseSeconds() * s,
                b.communicationSeconds() * s, b.overheadSeconds() * s, b.computeBound(), b.cudaGraph(),
                b.totalSeconds() * s);
    }

    /** The GPU's closed form, slowed down like every other term. */
    @Override
    public DecodeCost decodeCost(int sequences) {
        DecodeCost alone = gpu.decodeCost(sequences);
        return alone == null ? null : alone.scaled(slowdown());
    }
}
