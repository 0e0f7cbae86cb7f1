package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.capacity.CapacityOptions;

/**
 * The capacity searches of a plan ({@code --capacity}, or {@code capacity:} in the {@code plan:} section): for
 * every distinct configuration of the plan's cells, the highest arrival rate it sustains under its SLA
 * (docs/load-and-capacity.md), added to the rows of the cells that share it as {@code capacity_rps_under_sla} and
 * {@code capacity_rps_per_gpu}. Omitted keys take the defaults below.
 *
 * @param target    goodput fraction a rate must reach (default 0.9)
 * @param tolerance relative width of the final bracket (default 0.05)
 * @param requests     requests per probe; when given, probes are limited by it instead of {@code probe_seconds}
 * @param probeSeconds seconds of arrivals per probe (default 120): capacity is a property of the configuration, not
 *                     of a cell's request count, and a probe of fixed duration runs long enough at any rate — a fixed
 *                     request count would end a fast probe on a hundred GPUs before its queues could build up
 * @param maxProbes    most simulations one search runs (default 30)
 */
public record CapacitySpec(Double target, Double tolerance, Long requests, Double probeSeconds, Integer maxProbes) {
    public static final double DEFAULT_TARGET = CapacityOptions.DEFAULT_TARGET;
    public static final double DEFAULT_TOLERANCE = 0.05;
    public static final double DEFAULT_PROBE_SECONDS = 120;
    public static final int DEFAULT_MAX_PROBES = CapacityOptions.DEFAULT_MAX_PROBES;

    public CapacitySpec {
        target = target == null ? DEFAULT_TARGET : target;
        tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        probeSeconds = requests != null ? null : probeSeconds == null ? DEFAULT_PROBE_SECONDS : probeSeconds;
        maxProbes = maxProbes == null ? DEFAULT_MAX_PROBES : maxProbes;
        ConfigException.require(target > 0 && target <= 1, "capacity.target", "must be a goodput fraction in (0, 1]",
                target);
        ConfigException.require(tolerance > 0 && tolerance < 1, "capacity.tolerance",
                "must be a relative tolerance in (0, 1)", tolerance);
        ConfigException.require(requests == null || requests >= 1, "capacity.requests", "must be >= 1", requests);
        ConfigException.require(probeSeconds == null || probeSeconds > 0, "capacity.probe_seconds", "must be > 0",
                probeSeconds);
        ConfigException.require(maxProbes >= 2, "capacity.max_probes", "must be >= 2", maxProbes);
    }

    public static CapacitySpec defaults() {
        return new CapacitySpec(null, null, null, null, null);
    }

    /**
     * The same spec with the values that were given (null = keep); a probe limit given (requests or seconds)
     * replaces the other.
     */
    public CapacitySpec with(Double newTarget, Double newTolerance, Long newRequests, Double newProbeSeconds,
                             Integer newMaxProbes) {
        boolean limitGiven = newRequests != null || newProbeSeconds != null;
        return new CapacitySpec(newTarget != null ? newTarget : target, newTolerance != null ? newTolerance : tolerance,
                limitGiven ? newRequests : requests, limitGiven ? newProbeSeconds : probeSeconds,
                newMaxProbes != null ? newMaxProbes : maxProbes);
    }

    /** The options of each search. */
    public CapacityOptions options() {
        return new CapacityOptions(target, tolerance, requests, probeSeconds, maxProbes);
    }

    /** How long each probe is, for people: "120 s of arrivals" or "20000 requests". */
    public String probeLength() {
        return requests != null ? requests + " requests" : probeSeconds + " s of arrivals";
    }
}
