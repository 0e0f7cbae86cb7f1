package io.servesim.experiments.capacity;

import io.servesim.core.metrics.RunMetrics;

/**
 * One simulation of a capacity search.
 *
 * @param index                    0, 1, 2, … in the order the probes ran
 * @param phase                    {@code bracket} (doubling or halving the rate) or {@code bisect}
 * @param rpsScale                 the workload's rps_scale in this probe
 * @param rateRps                  the workload's long-run arrival rate at that scale, requests per second
 * @param arrived                  requests that arrived in the probe
 * @param measuredOfferedRps       arrivals / arrival span of the run
 * @param achievedRps              completions per second over the run's load window
 * @param goodputFraction          arrivals meeting every SLA limit / arrivals
 * @param slaRequestViolationRate  arrivals that failed, were in flight, or missed TTFT or TPOT / arrivals
 * @param slaNormViolationRate     arrivals that failed, were in flight, or missed the per-token deadline / arrivals
 * @param ttftP95Seconds           95th percentile of TTFT (queueing included) over completed requests
 * @param saturated                the run's saturation flag
 * @param passed                   goodputFraction ≥ target and not saturated
 */
public record CapacityProbe(int index, String phase, double rpsScale, double rateRps, long arrived, double measuredOfferedRps,
                            double achievedRps, double goodputFraction, double slaRequestViolationRate,
                            double slaNormViolationRate, double ttftP95Seconds, boolean saturated, boolean passed) {

    static CapacityProbe of(int index, String phase, double rpsScale, double rateRps, RunMetrics m, double target) {
        boolean passed = m.goodputFraction() >= target && !m.saturated();
        return new CapacityProbe(index, phase, rpsScale, rateRps, m.arrived(), m.offeredRps(), m.achievedRps(),
                m.goodputFraction(),
                m.slaRequestViolationRate(), m.slaNormViolationRate(), m.ttft().p95(), m.saturated(), passed);
    }
}
