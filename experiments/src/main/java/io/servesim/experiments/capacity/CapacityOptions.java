package io.servesim.experiments.capacity;

import io.servesim.core.config.ConfigException;

/**
 * How a capacity search runs.
 *
 * @param targetGoodputFraction a probe passes when at least this fraction of its arrivals meets every SLA limit
 *                              (and it is not saturated); in (0, 1], default 0.9
 * @param relativeTolerance     the search stops when the lowest failing rate is within this fraction above the
 *                              highest passing one; in (0, 1), default 0.02
 * @param requests              requests per probe; null keeps the workload's own limit
 * @param probeSeconds          seconds of arrivals per probe, whatever the rate (instead of {@code requests}): a probe
 *                              at a high rate on many GPUs then runs long enough to reach steady state; null: unused
 * @param maxProbes             most simulations the search runs; ≥ 2, default 30
 */
public record CapacityOptions(double targetGoodputFraction, double relativeTolerance, Long requests, Double probeSeconds,
                              int maxProbes) {
    public static final double DEFAULT_TARGET = 0.9;
    public static final double DEFAULT_TOLERANCE = 0.02;
    public static final int DEFAULT_MAX_PROBES = 30;

    public CapacityOptions {
        ConfigException.require(targetGoodputFraction > 0 && targetGoodputFraction <= 1, "target",
                "must be a goodput fraction in (0, 1]", targetGoodputFraction);
        ConfigException.require(relativeTolerance > 0 && relativeTolerance < 1, "tolerance",
                "must be a relative tolerance in (0, 1)", relativeTolerance);
        ConfigException.require(requests == null || requests >= 1, "requests", "must be >= 1", requests);
        ConfigException.require(probeSeconds == null || probeSeconds > 0, "probe-seconds", "must be > 0", probeSeconds);
        ConfigException.require(requests == null || probeSeconds == null, "requests",
                "and probe-seconds cannot both be given (a probe is limited by one of them)", requests);
        ConfigException.require(maxProbes >= 2, "max-probes", "must be >= 2", maxProbes);
    }

    public static CapacityOptions defaults() {
        return new CapacityOptions(DEFAULT_TARGET, DEFAULT_TOLERANCE, null, null, DEFAULT_MAX_PROBES);
    }

}
