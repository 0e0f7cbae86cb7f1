package io.servesim.experiments.validation;

/**
 * One line of the validation suite: what theory (or a measurement) predicts, what the simulator gives, and
 * whether they agree within the tolerance.
 *
 * @param check         what is compared, e.g. {@code queueing: M/M/1 mean sojourn time (rho 0.5)}
 * @param predicted     the reference value: a closed form of queueing or batching theory, or the roofline's
 *                      prediction for a measured step time
 * @param simulated     what ServeSim gives: the simulated value, or for physics checks the measured value
 * @param unit          the unit of both values
 * @param relativeError the error measure: |simulated − predicted| / |predicted| for theory checks; for physics checks
 *                      the mean over the table's points of |roofline − measured| / measured
 * @param tolerance     the largest relative error that passes
 */
public record ValidationCheck(String check, double predicted, double simulated, String unit, double relativeError,
                              double tolerance) {

    /** A check whose error is the relative difference of the two values. */
    public static ValidationCheck compare(String check, double predicted, double simulated, String unit,
                                          double tolerance) {
        return new ValidationCheck(check, predicted, simulated, unit,
                Math.abs(simulated - predicted) / Math.abs(predicted), tolerance);
    }

    /** Whether the error is within the tolerance (an undefined error fails). */
    public boolean pass() {
        return relativeError <= tolerance;
    }
}
