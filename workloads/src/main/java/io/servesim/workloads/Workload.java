package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.LengthDistribution;
import io.servesim.workloads.dist.LengthMixture;
import io.servesim.workloads.profile.ClientProfile;
import io.servesim.workloads.profile.ClosedLoopProfile;
import io.servesim.workloads.profile.ProfileSpec;
import io.servesim.workloads.profile.SyntheticProfile;
import io.servesim.workloads.trace.TraceProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A {@link WorkloadSpec} made ready to run: rates resolved (share · rate or own rate, times rps_scale), length
 * distributions built, trace files read. Immutable and shareable between threads; each run takes its own
 * {@link #newSource source}.
 */
public final class Workload {
    private final WorkloadSpec spec;
    private final List<ClientProfile> profiles;
    private final List<ProfileInfo> infos;
    private final LengthMixture promptMixture;
    private final LengthMixture outputMixture;

    private Workload(WorkloadSpec spec, List<ClientProfile> profiles) {
        this.spec = spec;
        this.profiles = List.copyOf(profiles);
        this.infos = profiles.stream().map(ClientProfile::info).toList();
        this.promptMixture = mixture(ClientProfile::prompt);
        this.outputMixture = mixture(ClientProfile::output);
    }

    /** Builds the workload; a failing profile is reported as {@code profiles[i] (name): <reason>}. */
    public static Workload compile(WorkloadSpec spec) {
        List<ClientProfile> profiles = new ArrayList<>();
        for (int i = 0; i < spec.profiles().size(); i++) {
            ProfileSpec profile = spec.profiles().get(i);
            try {
                profiles.add(compile(spec, profile));
            } catch (ConfigException e) {
                throw new ConfigException("profiles[" + i + "] (" + profile.name() + "): " + e.getMessage(), e);
            }
        }
        return new Workload(spec, profiles);
    }

    private static ClientProfile compile(WorkloadSpec spec, ProfileSpec profile) {
        if (profile.arrival() instanceof ArrivalSpec.Trace trace) {
            return new TraceProfile(profile, trace, spec.rpsScale());
        }
        if (profile.arrival() instanceof ArrivalSpec.ClosedLoop closedLoop) {
            return new ClosedLoopProfile(profile, closedLoop);
        }
        ArrivalSpec.Pattern pattern = (ArrivalSpec.Pattern) profile.arrival();
        double baseRate = profile.ratePerSecond() != null ? profile.ratePerSecond()
                : profile.usesShare() ? profile.share() * spec.ratePerSecond()
                : pattern.ownRatePerSecond();
        return new SyntheticProfile(profile, pattern, baseRate * spec.rpsScale());
    }

    private LengthMixture mixture(Function<ClientProfile, LengthDistribution> lengths) {
        double[] weights = new double[profiles.size()];
        for (int i = 0; i < weights.length; i++) {
            double rate = profiles.get(i).requestRatePerSecond();
            weights[i] = Double.isNaN(rate) ? 1.0 : rate; // a closed loop has no rate, and is the only profile
        }
        return new LengthMixture(profiles.stream().map(lengths).toList(), weights);
    }

    public WorkloadSpec spec() {
        return spec;
    }

    public List<ClientProfile> profiles() {
        return profiles;
    }

    public List<ProfileInfo> profileInfos() {
        return infos;
    }

    /** The closed-loop arrival of the workload, or null for an open loop. */
    public ArrivalSpec.ClosedLoop closedLoop() {
        return spec.closedLoop();
    }

    /** Total long-run request rate after rps_scale; NaN for a closed loop, whose rate is an outcome of the run. */
    public double requestRatePerSecond() {
        double sum = 0;
        for (ClientProfile profile : profiles) {
            sum += profile.requestRatePerSecond();
        }
        return sum;
    }

    /** First-turn prompt lengths of all profiles, weighted by their request rates. */
    public LengthMixture promptMixture() {
        return promptMixture;
    }

    /** Output lengths of all profiles, weighted by their request rates (what {@code outputTokensQuantile} answers). */
    public LengthMixture outputMixture() {
        return outputMixture;
    }

    /** The {@code q}-quantile of the output lengths of all profiles, 0 &lt; q &lt; 1 (what a workload source answers). */
    public double outputTokensQuantile(double q) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("q must be in (0, 1), got " + q);
        }
        return outputMixture.quantile(q);
    }

    /**
     * A fresh source; {@code root} is split once per profile, in profile order. A closed-loop workload gives a
     * {@link io.servesim.core.workload.ClosedLoopSource}, which the engine tells of every request's end.
     */
    public WorkloadSource newSource(SplittableRandom root) {
        return closedLoop() != null ? new ClosedLoopWorkloadSource(this, root) : new MixedWorkloadSource(this, root);
    }

    public WorkloadSource newSource(long seed) {
        return newSource(new SplittableRandom(seed));
    }
}
