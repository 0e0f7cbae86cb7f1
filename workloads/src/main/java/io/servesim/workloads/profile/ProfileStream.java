package io.servesim.workloads.profile;

import io.servesim.core.workload.RequestSpec;

/** The requests of one profile in arrival order. Single-use, not thread-safe. */
public interface ProfileStream {

    /** The arrival time of the next request, or +∞ when the profile has no more. */
    double peekArrivalSeconds();

    /** Produces the next request with the given global id and advances; only when a next request exists. */
    RequestSpec emit(long id);
}
