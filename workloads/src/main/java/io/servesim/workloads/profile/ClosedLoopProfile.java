package io.servesim.workloads.profile;

import io.servesim.core.workload.ProfileInfo;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.LengthDistribution;

import java.util.SplittableRandom;

/**
 * A closed-loop profile: its clients and think times, and the lengths of their requests. It has no arrival rate
 * (the run decides how fast answers come back) and no open-loop stream: its requests come from the workload's
 * closed-loop source, which hears of every request's end.
 */
public final class ClosedLoopProfile implements ClientProfile {
    private final ProfileInfo info;
    private final ArrivalSpec.ClosedLoop arrival;
    private final LengthDistribution prompt;
    private final LengthDistribution output;

    public ClosedLoopProfile(ProfileSpec spec, ArrivalSpec.ClosedLoop arrival) {
        this.info = new ProfileInfo(spec.name(), spec.sla().toSla());
        this.arrival = arrival;
        this.prompt = spec.prompt().create();
        this.output = spec.output().create();
    }

    public ArrivalSpec.ClosedLoop arrival() {
        return arrival;
    }

    @Override
    public ProfileInfo info() {
        return info;
    }

    /** NaN: a closed loop's request rate is an outcome of the run, not a property of the workload. */
    @Override
    public double requestRatePerSecond() {
        return Double.NaN;
    }

    @Override
    public LengthDistribution prompt() {
        return prompt;
    }

    @Override
    public LengthDistribution output() {
        return output;
    }

    @Override
    public boolean multiTurn() {
        return false;
    }

    @Override
    public boolean finite() {
        return false;
    }

    /** Not available: a closed loop's arrivals depend on completions (see {@code Workload.newSource}). */
    @Override
    public ProfileStream open(int profileIndex, SplittableRandom random) {
        throw new UnsupportedOperationException("a closed-loop profile sends when its requests end; "
                + "its requests come from Workload.newSource");
    }
}
