package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;

/**
 * Engine options of a run.
 *
 * @param horizonSeconds  stop when the next event is later than this (+∞: run until every request ends)
 * @param fastForward     run decode iterations back to back between events (true), or post one event
 *                        per iteration (false; slower, same results — kept to prove exactly that)
 * @param frontEndSeconds time every request spends in the serving front end (HTTP, tokenization, the hand-off to
 *                        the engine) between its arrival and its routing to a replica's queue; it delays the request
 *                        but occupies no GPU (0: requests reach the replicas as they arrive)
 */
public record SimulationOptions(double horizonSeconds, boolean fastForward, double frontEndSeconds) {
    public static final SimulationOptions DEFAULT = new SimulationOptions(Double.POSITIVE_INFINITY, true);

    public SimulationOptions {
        ConfigException.require(horizonSeconds > 0, "horizon_seconds", "must be > 0", horizonSeconds);
        ConfigException.require(frontEndSeconds >= 0 && Double.isFinite(frontEndSeconds), "engine.front_end_ms",
                "must be >= 0", frontEndSeconds * 1e3);
    }

    /** Options without a front end: requests reach the replicas as they arrive. */
    public SimulationOptions(double horizonSeconds, boolean fastForward) {
        this(horizonSeconds, fastForward, 0);
    }

    public SimulationOptions withFastForward(boolean value) {
        return new SimulationOptions(horizonSeconds, value, frontEndSeconds);
    }
}
