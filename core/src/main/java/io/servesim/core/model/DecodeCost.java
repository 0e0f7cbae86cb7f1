package io.servesim.core.model;

/**
 * The duration of a decode-only iteration of a fixed set of sequences as a function of the sum of
 * their contexts x (in tokens): {@code c + max(a1·x + b1, a2·x + b2)} seconds. Roofline models have
 * this shape (a compute term and a memory term, each affine in the KV read), and it lets the engine
 * add up a run of decode iterations in closed form: within a run the batch is fixed and x grows by
 * the batch size every iteration.
 *
 * @param constantSeconds c: everything that does not depend on the context (linear layers, weights, overheads)
 * @param slope1          a1, seconds per context token of the first term
 * @param intercept1      b1, seconds
 * @param slope2          a2, seconds per context token of the second term
 * @param intercept2      b2, seconds
 */
public record DecodeCost(double constantSeconds, double slope1, double intercept1, double slope2, double intercept2) {
    public DecodeCost {
        if (!(constantSeconds >= 0 && slope1 >= 0 && intercept1 >= 0 && slope2 >= 0 && intercept2 >= 0)) {
            throw new IllegalArgumentException("decode cost terms must be finite and >= 0: " + constantSeconds + ", "
                    + slope1 + ", " + intercept1 + ", " + slope2 + ", " + intercept2);
        }
    }

    /** A decode iteration that takes {@code seconds} whatever the context. */
    public static DecodeCost constant(double seconds) {
        return new DecodeCost(seconds, 0, 0, 0, 0);
    }

    /** The iteration time at context sum {@code contextTokens}. */
    public double seconds(long contextTokens) {
        return constantSeconds + Math.max(slope1 * contextTokens + intercept1, slope2 * contextTokens + intercept2);
    }

    /** Every term multiplied by {@code factor} (e.g. a contention slowdown). */
    public DecodeCost scaled(double factor) {
        return new DecodeCost(constantSeconds * factor, slope1 * factor, intercept1 * factor, slope2 * factor,
                intercept2 * factor);
    }
}
