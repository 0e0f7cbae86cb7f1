package io.servesim.schedulers.batch;

import io.servesim.core.config.ConfigException;

/**
 * Predicts a request's output length from its true length with a configurable error, as a length
 * predictor (a proxy model, a classifier) would: {@code exact}, or noisy with relative error ε —
 * predicted = true · (1 + ε·Z) with Z standard normal ({@code gaussian}) or uniform in [−1, 1]
 * ({@code uniform}), floored at 1 token.
 *
 * <p>The noise of request i is a pure function of (seed, i) — a SplitMix64 hash of the request id —
 * so a prediction does not depend on the order or the number of calls, and the router and every
 * replica's scheduler agree on it without sharing state or allocating.
 */
public final class OutputLengthPredictor {
    /** The error model. */
    public enum Noise { EXACT, GAUSSIAN, UNIFORM }

    private static final double UNIT = 0x1.0p-53;

    private final Noise noise;
    private final double relativeError;
    private final long seed;

    public OutputLengthPredictor(Noise noise, double relativeError, long seed) {
        ConfigException.require(relativeError >= 0, "relative_error", "must be >= 0", relativeError);
        this.noise = noise;
        this.relativeError = relativeError;
        this.seed = seed;
    }

    public static OutputLengthPredictor exact() {
        return new OutputLengthPredictor(Noise.EXACT, 0, 0);
    }

    /** The predicted output length of {@code request}, whose true length is {@code outputTokens}. */
    public double predictTokens(int request, int outputTokens) {
        double factor = switch (noise) {
            case EXACT -> 1;
            case UNIFORM -> 1 + relativeError * (2 * uniform(request, 0) - 1);
            case GAUSSIAN -> 1 + relativeError * gaussian(request);
        };
        return Math.max(1, outputTokens * factor);
    }

    /** Box–Muller from two hashed uniforms. */
    private double gaussian(int request) {
        double u1 = 1 - uniform(request, 0);
        double u2 = uniform(request, 1);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A uniform double in [0, 1) for (request, stream). */
    private double uniform(int request, int stream) {
        return (mix64(seed + 0x9E3779B97F4A7C15L * (2L * request + stream + 1)) >>> 11) * UNIT;
    }

    /** SplitMix64's finaliser (Stafford variant 13). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
