package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;

/**
 * Engine options of a run.
 *
 * @param horizonSeconds stop when the next event is later than this (+∞: run until every request ends)
 * @param fastForward    run decode iterations back to back between events (true), or post one event
 *                       per iteration (false; slower, same results — kept to prove exactly that)
 */
public record SimulationOptions(double horizonSeconds, boolean fastForward) {
    public static final SimulationOptions DEFAULT = new SimulationOptions(Double.POSITIVE_INFINITY, true);

    public SimulationOptions {
        ConfigException.require(horizonSeconds > 0, "horizon_seconds", "must be > 0", horizonSeconds);
    }

    public SimulationOptions withFastForward(boolean value) {
        return new SimulationOptions(horizonSeconds, value);
    }
}
