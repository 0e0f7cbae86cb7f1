package io.servesim.core.model;

import io.servesim.core.config.ConfigException;

/**
 * An idealised step-time model for theory checks and hand-calculable tests: an iteration takes
 * {@code fixed + perPrefillToken · prefillTokens + perDecodeSequence · decodeSequences} seconds,
 * on one stage. With only {@code fixed} set, every iteration takes the same time, which turns a
 * replica into the deterministic server of queueing theory.
 */
public record AffineStepTimeModel(double fixedSeconds, double perPrefillTokenSeconds, double perDecodeSequenceSeconds)
        implements StepTimeModel {

    public AffineStepTimeModel {
        ConfigException.require(fixedSeconds >= 0, "fixed_seconds", "must be >= 0", fixedSeconds);
        ConfigException.require(perPrefillTokenSeconds >= 0, "per_prefill_token_seconds", "must be >= 0",
                perPrefillTokenSeconds);
        ConfigException.require(perDecodeSequenceSeconds >= 0, "per_decode_sequence_seconds", "must be >= 0",
                perDecodeSequenceSeconds);
        ConfigException.require(fixedSeconds + perPrefillTokenSeconds + perDecodeSequenceSeconds > 0,
                "fixed_seconds", "or a per-token term must be > 0", fixedSeconds);
    }

    /** Every iteration takes {@code seconds}. */
    public static AffineStepTimeModel constant(double seconds) {
        return new AffineStepTimeModel(seconds, 0, 0);
    }

    @Override
    public double stageSeconds(BatchShape batch) {
        return fixedSeconds + perPrefillTokenSeconds * batch.prefillTokens + perDecodeSequenceSeconds * batch.decodeSequences;
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
        double linear = perPrefillTokenSeconds * batch.prefillTokens + perDecodeSequenceSeconds * batch.decodeSequences;
        return new StepTimeBreakdown(linear, 0, 0, 0, fixedSeconds, true, false, stageSeconds(batch));
    }

    @Override
    public DecodeCost decodeCost(int sequences) {
        return DecodeCost.constant(fixedSeconds + perDecodeSequenceSeconds * sequences);
    }
}
