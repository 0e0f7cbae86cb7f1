package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.capacity.CapacityOptions;

/**
 * How a search runs: for the cheapest candidate that serves a target rate, or ({@code maximise}) for the candidate
 * with the highest capacity under the SLA within a budget.
 *
 * @param targetRps        the arrival rate the deployment must sustain under the SLA, requests per second (&gt; 0);
 *                         NaN when maximising
 * @param maximise         look for the highest capacity instead of the cheapest candidate meeting a target
 * @param budgetUsdPerHour candidates costing more per hour are pruned (&gt; 0; infinite: no budget)
 * @param capacity         the capacity search of each simulated candidate (its {@code requests} is the probe size and
 *                         must be set; the goodput target and tolerance are the SLA's fraction and the search's precision)
 * @param threads          groups of candidates searched at once (results do not depend on it), ≥ 1
 */
public record SearchSettings(double targetRps, boolean maximise, double budgetUsdPerHour, CapacityOptions capacity,
                             int threads) {
    public SearchSettings {
        if (maximise) {
            ConfigException.require(Double.isNaN(targetRps), "target-rps", "goes without --maximise: give one of them",
                    targetRps);
        } else {
            ConfigException.require(targetRps > 0 && Double.isFinite(targetRps), "target-rps",
                    "must be a positive arrival rate in requests per second", targetRps);
        }
        ConfigException.require(budgetUsdPerHour > 0, "budget-usd-per-hour", "must be > 0 US dollars per hour",
                budgetUsdPerHour);
        ConfigException.require(capacity != null && capacity.requests() != null, "requests",
                "must be set: every probe of the search serves the same number of requests", null);
        ConfigException.require(threads >= 1, "threads", "must be >= 1", threads);
    }

    /** The cheapest candidate serving {@code targetRps}, at any cost. */
    public SearchSettings(double targetRps, CapacityOptions capacity, int threads) {
        this(targetRps, false, Double.POSITIVE_INFINITY, capacity, threads);
    }

    /** The highest capacity among the candidates costing at most {@code budgetUsdPerHour}. */
    public static SearchSettings maximising(double budgetUsdPerHour, CapacityOptions capacity, int threads) {
        return new SearchSettings(Double.NaN, true, budgetUsdPerHour, capacity, threads);
    }
}
