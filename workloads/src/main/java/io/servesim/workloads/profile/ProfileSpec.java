package io.servesim.workloads.profile;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.LengthSpec;

/**
 * One client profile of a workload as a config gives it.
 *
 * @param name           unique within the workload; letters, digits, '_', '-', '.'
 * @param share          fraction of the workload's {@code rate_per_second} (requests, all turns included)
 * @param ratePerSecond  the profile's own request rate (all turns included); exactly one of share / rate unless
 *                       the arrival sets its own rate ({@code on_off}, {@code trace}) or has none ({@code closed_loop})
 * @param arrival        arrival process; default Poisson
 * @param prompt         prompt length (for multi-turn: the new user message of each turn); not with a trace
 * @param output         output length; not with a trace
 * @param session        optional multi-turn model; not with a trace
 * @param sla            service-level objectives; default {@code Sla.DEFAULT}
 * @param sharedPrefix   optional shared system prompts ahead of each prompt ({@code prompt} is then the question);
 *                       not with a trace or a closed_loop arrival
 */
public record ProfileSpec(String name, Double share, Double ratePerSecond, ArrivalSpec arrival,
                          LengthSpec prompt, LengthSpec output, SessionSpec session, SlaSpec sla,
                          SharedPrefixSpec sharedPrefix) {
    public ProfileSpec {
        ConfigException.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "name",
                "is required and may hold only letters, digits, '_', '-' and '.'", name);
        arrival = arrival == null ? new ArrivalSpec.Poisson() : arrival;
        sla = sla == null ? SlaSpec.defaults() : sla;
        ConfigException.require(share == null || (share > 0 && share <= 1), "share", "must be in (0, 1]", share);
        ConfigException.require(ratePerSecond == null || (ratePerSecond > 0 && Double.isFinite(ratePerSecond)),
                "rate_per_second", "must be > 0", ratePerSecond);
        if (arrival.setsOwnRate()) {
            String why = arrival instanceof ArrivalSpec.ClosedLoop
                    ? "must be left out: a closed_loop profile has no arrival rate (its concurrency sets the load)"
                    : "must be left out: the arrival (on_off or trace) sets the rate";
            ConfigException.require(share == null, "share", why, share);
            ConfigException.require(ratePerSecond == null, "rate_per_second", why, ratePerSecond);
        } else {
            ConfigException.require((share == null) != (ratePerSecond == null), "share",
                    "or rate_per_second is required (exactly one of them)", share == null ? "neither" : "both");
        }
        if (arrival instanceof ArrivalSpec.Trace) {
            String why = "must be left out: the trace gives the lengths";
            ConfigException.require(prompt == null, "prompt", why, prompt);
            ConfigException.require(output == null, "output", why, output);
            ConfigException.require(session == null, "session", why, session);
            ConfigException.require(sharedPrefix == null, "shared_prefix", why, sharedPrefix);
        } else {
            if (arrival instanceof ArrivalSpec.ClosedLoop) {
                ConfigException.require(sharedPrefix == null, "shared_prefix",
                        "must be left out with a closed_loop arrival", sharedPrefix);
                ConfigException.require(session == null, "session",
                        "must be left out with a closed_loop arrival (each client sends single-turn requests)", session);
            }
            ConfigException.require(prompt != null, "prompt", "is required", prompt);
            ConfigException.require(output != null, "output", "is required", output);
        }
    }

    /** Whether this profile's rate is a share of the workload's rate. */
    public boolean usesShare() {
        return share != null;
    }
}
