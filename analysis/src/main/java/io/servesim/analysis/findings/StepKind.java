package io.servesim.analysis.findings;

import io.servesim.analysis.ResultsSchema;

/** What a step of a results folder measures, which decides its step-specific findings. */
public enum StepKind {
    REQUEST_SCALING,
    GPU_SCALING,
    KBINS_SENSITIVITY,
    COMPARISON;

    /** The kind of a {@code step} column value; any name outside the stress plan is a study comparison. */
    public static StepKind of(String step) {
        return switch (step) {
            case ResultsSchema.STEP_REQUEST_SCALING -> REQUEST_SCALING;
            case ResultsSchema.STEP_GPU_SCALING -> GPU_SCALING;
            case ResultsSchema.STEP_KBINS_SENSITIVITY -> KBINS_SENSITIVITY;
            default -> COMPARISON;
        };
    }
}
