package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.capacity.CapacityOptions;

/**
 * How a search runs.
 *
 * @param targetRps  the arrival rate the deployment must sustain under the SLA, requests per second (&gt; 0)
 * @param capacity   the capacity search of each simulated candidate (its {@code requests} is the probe size and must
 *                   be set; the goodput target and tolerance are the SLA's fraction and the search's precision)
 * @param threads    groups of candidates searched at once (results do not depend on it), ≥ 1
 */
public record SearchSettings(double targetRps, CapacityOptions capacity, int threads) {
    public SearchSettings {
        ConfigException.require(targetRps > 0 && Double.isFinite(targetRps), "target-rps",
                "must be a positive arrival rate in requests per second", targetRps);
        ConfigException.require(capacity != null && capacity.requests() != null, "requests",
                "must be set: every probe of the search serves the same number of requests", null);
        ConfigException.require(threads >= 1, "threads", "must be >= 1", threads);
    }
}
