package io.servesim.schedulers;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.WorkloadSource;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * What schedulers and routers need to know about the run: the workload's output-length quantiles
 * (bins, memory budgets), the per-token SLA target, and the run's seed for predictors and random
 * routers.
 *
 * @param outputTokensQuantile q ↦ the q-quantile of the output-length distribution, in tokens
 * @param tpotSeconds          the time-per-output-token deadline the SLA controller targets
 * @param seed                 the seed schedulers and routers derive their random streams from
 */
public record SchedulerContext(DoubleUnaryOperator outputTokensQuantile, double tpotSeconds, long seed) {
    public SchedulerContext {
        ConfigException.require(tpotSeconds > 0, "tpot_seconds", "must be > 0", tpotSeconds);
    }

    /** The context of a run of {@code workload}: its quantiles and the tightest TPOT deadline among its profiles. */
    public static SchedulerContext of(WorkloadSource workload, long seed) {
        double tpot = Double.POSITIVE_INFINITY;
        for (ProfileInfo profile : workload.profiles()) {
            tpot = Math.min(tpot, profile.sla().tpotSeconds());
        }
        return new SchedulerContext(workload::outputTokensQuantile, tpot, seed);
    }

    /**
     * The random stream of one named component (e.g. {@code "length_predictor"}, {@code "router"}):
     * a pure function of the seed and the name, so two components with the same name agree.
     */
    public SplittableRandom random(String component) {
        long h = seed ^ 0xCBF29CE484222325L;
        for (int i = 0; i < component.length(); i++) {
            h = (h ^ component.charAt(i)) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }
}
