package io.servesim.experiments.calibration;

import io.servesim.core.model.RooflineStepTimeModel;

import java.util.function.ToDoubleFunction;

/**
 * One measured time and how the step-time model predicts it: the replica setup to build the model for, and the
 * term (or sum of terms) of that model that stands for the measurement.
 *
 * @param table           the table the row comes from (e.g. {@code Llama-3.1-8B/tp1/layers.csv})
 * @param phase           what was measured (e.g. {@code gemm}, {@code iteration}, {@code decode attention})
 * @param shape           the measured batch in words, for per-row reports (e.g. {@code tokens 1024},
 *                        {@code batch 8, prompt 512, output 128})
 * @param setup           the model, TP degree and interconnect the measurement ran on
 * @param measuredSeconds the measured time, seconds (> 0)
 * @param prediction      the model's prediction of the same quantity, seconds
 */
public record MeasuredRow(String table, String phase, String shape, ReplicaSetupKey setup, double measuredSeconds,
                          ToDoubleFunction<RooflineStepTimeModel> prediction) {

    public MeasuredRow {
        if (!(measuredSeconds > 0) || !Double.isFinite(measuredSeconds)) {
            throw new IllegalArgumentException(table + ": measured time must be > 0, got " + measuredSeconds);
        }
    }

    /** Signed relative error of the prediction by {@code model}: (predicted − measured) / measured. */
    public double relativeError(RooflineStepTimeModel model) {
        return (prediction.applyAsDouble(model) - measuredSeconds) / measuredSeconds;
    }
}
