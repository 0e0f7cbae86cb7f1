package io.servesim.core.engine;

import io.servesim.core.workload.ProfileInfo;

import java.util.List;

/**
 * The raw outcome of a run: every request's record, the replicas' counters, and the engine's.
 *
 * @param requests           per-request records
 * @param cluster            the replicas with their statistics
 * @param profiles           the workload's profiles (names and SLAs)
 * @param horizonSeconds     simulated time of the last event processed
 * @param events             events processed
 * @param finishedRequests   requests that completed or failed
 * @param workloadTruncated  whether the horizon stopped the run before the workload was exhausted
 * @param wallSeconds        wall-clock time of the run
 * @param closedLoopClients  the clients of a closed-loop workload (its concurrency), or 0 for an open loop
 */
public record SimulationResult(RequestTable requests, Cluster cluster, List<ProfileInfo> profiles,
                               double horizonSeconds, long events, long finishedRequests,
                               boolean workloadTruncated, double wallSeconds,
                               int closedLoopClients) {

    public int arrived() {
        return requests.size();
    }

    /** Whether the workload was a closed loop, whose arrivals (the offered load) are an outcome of the run. */
    public boolean closedLoop() {
        return closedLoopClients > 0;
    }

    public long inFlight() {
        return requests.size() - finishedRequests;
    }
}
