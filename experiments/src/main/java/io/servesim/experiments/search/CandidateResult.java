package io.servesim.experiments.search;

import io.servesim.experiments.capacity.CapacityProbe;
import io.servesim.experiments.capacity.CapacityResult;

/**
 * What the search did with one candidate (a shape with a replica count) and what it found.
 *
 * @param shape          the replica shape
 * @param replicas       data-parallel replicas
 * @param verdict        pruned (and why), skipped as dominated, or simulated
 * @param reason         one line on the verdict: the memory arithmetic, the bound against the target, …
 * @param boundRps       upper bound on the capacity from {@link ServiceBounds}, requests per second (NaN when
 *                       pruned before it was computed)
 * @param usdPerHour     GPUs × price per GPU-hour
 * @param capacity       the capacity search, when simulated; otherwise null
 */
public record CandidateResult(ReplicaShape shape, int replicas, Verdict verdict, String reason, double boundRps,
                              double usdPerHour, CapacityResult capacity) {

    /** What became of a candidate. */
    public enum Verdict {
        /** The layout is not valid for the model (tp must divide its heads, …). */
        INVALID,
        /** The weights do not fit in the GPUs' memory. */
        PRUNED_MEMORY,
        /** Too few requests can meet their SLA even alone on the replica. */
        PRUNED_LATENCY_FLOOR,
        /** The throughput upper bound (with its slack) is below the target rate. */
        PRUNED_THROUGHPUT_BOUND,
        /** A candidate of the same shape with fewer replicas (so cheaper) already meets the target. */
        DOMINATED,
        /** It costs more per hour than a candidate already found to meet the target. */
        PRUNED_COST,
        /** Its capacity was searched. */
        SIMULATED
    }

    public String id() {
        return shape.candidateId(replicas);
    }

    public int gpus() {
        return shape.gpusPerReplica() * replicas;
    }

    public boolean simulated() {
        return verdict == Verdict.SIMULATED;
    }

    /** The capacity under the SLA in requests per second (NaN when not simulated or when no probe passed). */
    public double capacityRps() {
        return capacity == null ? Double.NaN : capacity.capacityRps();
    }

    /** Whether the capacity reaches {@code targetRps}. */
    public boolean meets(double targetRps) {
        return simulated() && capacityRps() >= targetRps;
    }

    /** The 95th-percentile TTFT of the highest passing probe (the capacity's latency); NaN without one. */
    public double ttftP95AtCapacitySeconds() {
        if (capacity == null) {
            return Double.NaN;
        }
        double best = Double.NaN;
        double rate = Double.NEGATIVE_INFINITY;
        for (CapacityProbe p : capacity.probes()) {
            if (p.passed() && p.rateRps() > rate && p.rateRps() <= capacity.capacityRps()) {
                rate = p.rateRps();
                best = p.ttftP95Seconds();
            }
        }
        return best;
    }
}
