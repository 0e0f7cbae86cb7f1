package io.servesim.workloads.profile;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.dist.LengthSpec;

/**
 * The multi-turn model of a profile. A session's first turn arrives from the profile's arrival process; turn
 * k+1 arrives at (arrival of turn k) + an exponential think time of mean {@code thinkTimeSeconds} — open loop:
 * the workload does not wait for turn k to complete. The prompt of turn k+1 is the prompt of turn k + its
 * output + a new user message drawn from the profile's prompt distribution, capped at
 * {@code maxContextTokens} when given.
 *
 * @param turns            turns per session, a token-count distribution reused for counts (e.g. fixed 4 or uniform 2–6)
 * @param thinkTimeSeconds mean think time between turns (≥ 0)
 * @param maxContextTokens optional cap on a turn's prompt
 */
public record SessionSpec(LengthSpec turns, Double thinkTimeSeconds, Integer maxContextTokens) {
    public SessionSpec {
        ConfigException.require(turns != null, "turns", "is required", turns);
        ConfigException.require(thinkTimeSeconds != null && thinkTimeSeconds >= 0 && Double.isFinite(thinkTimeSeconds),
                "think_time_seconds", "must be >= 0", thinkTimeSeconds);
        ConfigException.require(maxContextTokens == null || maxContextTokens >= 1, "max_context_tokens",
                "must be >= 1", maxContextTokens);
    }
}
