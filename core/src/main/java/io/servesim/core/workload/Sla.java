package io.servesim.core.workload;

import io.servesim.core.config.ConfigException;

/**
 * Service-level objectives of a client profile.
 *
 * @param ttftSeconds                   deadline on time to first token, queueing included
 * @param tpotSeconds                   deadline on mean time per output token after the first
 * @param normalizedLatencySecondsPerToken deadline on end-to-end latency divided by output tokens
 */
public record Sla(double ttftSeconds, double tpotSeconds, double normalizedLatencySecondsPerToken) {
    /** The defaults used when a profile states none: 2 s TTFT, 100 ms TPOT, 200 ms per token. */
    public static final Sla DEFAULT = new Sla(2.0, 0.1, 0.2);

    public Sla {
        ConfigException.require(ttftSeconds > 0, "ttft_seconds", "must be > 0", ttftSeconds);
        ConfigException.require(tpotSeconds > 0, "tpot_seconds", "must be > 0", tpotSeconds);
        ConfigException.require(normalizedLatencySecondsPerToken > 0,
                "normalized_latency_seconds_per_token", "must be > 0", normalizedLatencySecondsPerToken);
    }
}
