package io.servesim.experiments.capacity;

import io.servesim.core.workload.ProfileInfo;

import java.util.List;

/**
 * What a capacity search found. Rates are the workload's long-run arrival rate (offered load) in requests per
 * second; the capacity is the highest passing rate below the lowest failing one.
 *
 * @param status                what the bracket looks like (see {@link Status})
 * @param capacityRps           highest passing rate below the lowest failing rate; NaN when no probe passed
 * @param capacityRpsScale      the workload's rps_scale at that rate
 * @param lowestFailingRps      lowest failing rate; NaN when every probe passed
 * @param targetGoodputFraction the target of the search
 * @param relativeTolerance     the stated tolerance: when FOUND, lowestFailingRps ≤ capacityRps · (1 + tolerance)
 * @param requestsPerProbe      the request limit of each probe (null: the workload's duration limit)
 * @param seed                  the seed of every probe
 * @param gpus                  GPUs of the deployment (tp · pp · replicas)
 * @param slas                  the SLA of each client profile, as applied to its requests
 * @param probes                every probe, in the order run
 */
public record CapacityResult(Status status, double capacityRps, double capacityRpsScale, double lowestFailingRps,
                             double targetGoodputFraction, double relativeTolerance, Long requestsPerProbe, long seed,
                             int gpus, List<ProfileInfo> slas, List<CapacityProbe> probes) {

    /** How the search ended. */
    public enum Status {
        /** A passing and a failing rate within the tolerance of each other. */
        FOUND,
        /** Probes ran out before the bracket narrowed to the tolerance; the capacity lies in [capacity, lowest failing). */
        TOLERANCE_NOT_REACHED,
        /** Every probe passed: the capacity is at least capacityRps. */
        ABOVE_HIGHEST_PROBE,
        /** Every probe failed: the capacity is below the lowest probe's rate. */
        BELOW_LOWEST_PROBE
    }

    public CapacityResult {
        slas = List.copyOf(slas);
        probes = List.copyOf(probes);
    }

    /** capacityRps / gpus. */
    public double capacityRpsPerGpu() {
        return capacityRps / gpus;
    }
}
