package io.servesim.core.model;

import java.util.Arrays;

/**
 * A hand-calculable step-time model for tests: stage s takes {@code stageSeconds[s]} whatever the batch, of which
 * {@code allReduceSeconds} are tensor-parallel communication on {@code tensorParallel} GPUs, and a send from one
 * stage to the next takes {@code transferSeconds}.
 */
public record ConstantStageModel(double[] stageSeconds, double transferSeconds, double allReduceSeconds,
                                 int tensorParallel) implements StepTimeModel {

    /** {@code stages} stages of {@code seconds} each, without communication. */
    public static ConstantStageModel uniform(int stages, double seconds, double transferSeconds) {
        double[] times = new double[stages];
        Arrays.fill(times, seconds);
        return new ConstantStageModel(times, transferSeconds, 0, 1);
    }

    @Override
    public double stageSeconds(BatchShape batch) {
        double slowest = 0;
        for (double seconds : stageSeconds) {
            slowest = Math.max(slowest, seconds);
        }
        return slowest;
    }

    @Override
    public double stageSeconds(BatchShape batch, int stage) {
        return stageSeconds[stage];
    }

    @Override
    public double communicationSeconds(BatchShape batch, int stage) {
        return allReduceSeconds;
    }

    @Override
    public double stageTransferSeconds(BatchShape batch) {
        return transferSeconds;
    }

    @Override
    public int pipelineStages() {
        return stageSeconds.length;
    }

    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        double total = stageSeconds(batch);
        return new StepTimeBreakdown(total - allReduceSeconds, 0, 0, allReduceSeconds, 0, true, false, total);
    }
}
