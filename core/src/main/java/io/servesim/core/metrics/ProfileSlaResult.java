package io.servesim.core.metrics;

import io.servesim.core.workload.Sla;

/**
 * How one client profile's requests in the measured window fared against that profile's own SLA. A request that
 * failed, or was still in flight when the run stopped, violates both SLAs and is not good.
 *
 * @param profile           the profile's name
 * @param sla               its deadlines
 * @param arrivals          its requests in the measured window
 * @param requestViolations requests that failed, were in flight, or missed TTFT or TPOT
 * @param normViolations    requests that failed, were in flight, or missed the per-token deadline
 * @param good              completed requests that met every limit
 */
public record ProfileSlaResult(String profile, Sla sla, long arrivals, long requestViolations, long normViolations,
                               long good) {

    /** requestViolations / arrivals; NaN without arrivals. */
    public double requestViolationRate() {
        return rate(requestViolations);
    }

    /** normViolations / arrivals; NaN without arrivals. */
    public double normViolationRate() {
        return rate(normViolations);
    }

    /** good / arrivals; NaN without arrivals. */
    public double goodputFraction() {
        return rate(good);
    }

    private double rate(long count) {
        return arrivals == 0 ? Double.NaN : (double) count / arrivals;
    }
}
