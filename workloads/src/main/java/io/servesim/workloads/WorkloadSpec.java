package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.profile.ProfileSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A workload as a config gives it: client profiles mixed, a global rate multiplier and a limit.
 *
 * @param name            optional label
 * @param description     optional one-line description
 * @param ratePerSecond   total request rate shared by the profiles that give a {@code share}; only with shares
 * @param rpsScale        multiplies every profile's arrival rate (stress studies: ×200); default 1
 * @param requests        stop after this many requests (required with a closed-loop profile: it bounds the total)
 * @param durationSeconds stop at the first arrival after this time; at least one of requests / duration is
 *                        required unless every profile replays a trace without loop
 * @param profiles        the client profiles, at least one; {@code RequestSpec.profile} indexes this list
 */
public record WorkloadSpec(String name, String description, Double ratePerSecond, Double rpsScale,
                           Long requests, Double durationSeconds, List<ProfileSpec> profiles) {
    /** How far the shares may be from summing to 1. */
    public static final double SHARE_TOLERANCE = 1e-6;

    public WorkloadSpec {
        ConfigException.require(profiles != null && !profiles.isEmpty(), "profiles", "must not be empty", profiles);
        profiles = List.copyOf(profiles);
        rpsScale = rpsScale == null ? 1.0 : rpsScale;
        ConfigException.require(rpsScale > 0 && Double.isFinite(rpsScale), "rps_scale", "must be > 0", rpsScale);
        ConfigException.require(requests == null || requests >= 1, "requests", "must be >= 1", requests);
        ConfigException.require(durationSeconds == null || (durationSeconds > 0 && Double.isFinite(durationSeconds)),
                "duration_seconds", "must be > 0", durationSeconds);
        Set<String> names = new HashSet<>();
        double shareSum = 0;
        boolean anyShare = false;
        boolean allFinite = true;
        for (ProfileSpec profile : profiles) {
            ConfigException.require(names.add(profile.name()), "profiles", "must have unique names", profile.name());
            if (profile.usesShare()) {
                anyShare = true;
                shareSum += profile.share();
            }
            allFinite &= profile.arrival() instanceof ArrivalSpec.Trace trace && !trace.loop();
        }
        if (anyShare) {
            ConfigException.require(ratePerSecond != null && ratePerSecond > 0 && Double.isFinite(ratePerSecond),
                    "rate_per_second", "must be > 0 when profiles give a share", ratePerSecond);
            ConfigException.require(Math.abs(shareSum - 1.0) <= SHARE_TOLERANCE, "profiles[*].share",
                    "must sum to 1", shareSum);
        } else {
            ConfigException.require(ratePerSecond == null, "rate_per_second",
                    "is only used with profile shares; give each profile its own rate_per_second instead", ratePerSecond);
        }
        if (closedLoopOf(profiles) != null) {
            ConfigException.require(profiles.size() == 1, "profiles",
                    "must hold only the closed_loop profile (closed and open loops do not mix)", profiles.size() + " profiles");
            ConfigException.require(requests != null, "requests",
                    "is required with a closed_loop arrival (it bounds the total requests)", requests);
            ConfigException.require(rpsScale == 1.0, "rps_scale",
                    "must be 1 with a closed_loop arrival (there is no arrival rate to scale; vary concurrency)", rpsScale);
        }
        ConfigException.require(requests != null || durationSeconds != null || allFinite, "requests",
                "or duration_seconds is required (only traces replayed without loop end by themselves)", "neither");
    }

    /** The closed-loop arrival of the workload's (only) profile, or null for an open-loop workload. */
    public ArrivalSpec.ClosedLoop closedLoop() {
        return closedLoopOf(profiles);
    }

    private static ArrivalSpec.ClosedLoop closedLoopOf(List<ProfileSpec> profiles) {
        for (ProfileSpec profile : profiles) {
            if (profile.arrival() instanceof ArrivalSpec.ClosedLoop closed) {
                return closed;
            }
        }
        return null;
    }

    /** The same workload stopped after {@code n} requests (any duration limit is dropped). */
    public WorkloadSpec withRequests(long n) {
        return new WorkloadSpec(name, description, ratePerSecond, rpsScale, n, null, profiles);
    }

    /** The same workload stopped at {@code seconds} (any request limit is dropped). */
    public WorkloadSpec withDurationSeconds(double seconds) {
        return new WorkloadSpec(name, description, ratePerSecond, rpsScale, null, seconds, profiles);
    }

    /** The same workload with every arrival rate multiplied by {@code scale} (replacing the spec's rps_scale). */
    public WorkloadSpec withRpsScale(double scale) {
        return new WorkloadSpec(name, description, ratePerSecond, scale, requests, durationSeconds, profiles);
    }
}
