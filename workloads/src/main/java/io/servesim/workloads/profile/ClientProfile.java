package io.servesim.workloads.profile;

import io.servesim.core.workload.ProfileInfo;
import io.servesim.workloads.dist.LengthDistribution;

import java.util.SplittableRandom;

/** A profile ready to generate traffic: its rate and lengths resolved, files read. Immutable. */
public interface ClientProfile {

    ProfileInfo info();

    /** Long-run request rate (all turns included), after the workload's rps_scale. */
    double requestRatePerSecond();

    /** Prompt length of a single request or of a session's first turn (later turns add their history). */
    LengthDistribution prompt();

    LengthDistribution output();

    boolean multiTurn();

    /** The shared-prefix structure in words (e.g. "64 system prompts of 2048 tokens, 16 users each"), or "" for none. */
    default String sharedPrefix() {
        return "";
    }

    /** Whether the stream ends by itself (a trace replayed without loop). */
    boolean finite();

    /**
     * A fresh stream of this profile's requests.
     *
     * @param profileIndex the profile's index in the workload, written into each request
     * @param random       this profile's own split of the run's random stream
     */
    ProfileStream open(int profileIndex, SplittableRandom random);
}
