package io.servesim.experiments.cli;

import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.Locale;

/**
 * The load a plan offers to every cell, as config.json records it and the command states it before it runs: the
 * workload's own long-run rate (its profiles' rates at rps_scale 1), the scale, their product, and where the scale
 * came from.
 *
 * @param workload         the workload's name
 * @param workloadRateRps  its long-run request rate at rps_scale 1 (req/s)
 * @param rpsScale         the plan's multiplier
 * @param rps              the offered rate, workloadRateRps · rpsScale (req/s)
 * @param scaleSource      "given" (flag or plan.rps_scale) or the default rule that chose it
 */
public record OfferedLoad(String workload, double workloadRateRps, double rpsScale, double rps, String scaleSource) {

    static OfferedLoad of(WorkloadSpec spec, double rpsScale, boolean given) {
        double own = Workload.compile(spec.withRpsScale(1.0)).requestRatePerSecond();
        String source = given ? "given (--rps-scale)"
                : "default for workload " + spec.name() + (rpsScale == 1.0 ? ": its own rate" : "");
        return new OfferedLoad(spec.name(), own, rpsScale, own * rpsScale, source);
    }

    /** "offering 200 req/s where a step states no other load (workload stress, 1 req/s × rps-scale 200, …)". */
    String describe() {
        return String.format(Locale.ROOT, "offering %s req/s where a step states no other load (workload %s at %s req/s"
                        + " × rps-scale %s, %s;"
                        + " --rps-scale X sets the multiplier)", number(rps), workload, number(workloadRateRps),
                number(rpsScale), scaleSource);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3g", value);
    }
}
