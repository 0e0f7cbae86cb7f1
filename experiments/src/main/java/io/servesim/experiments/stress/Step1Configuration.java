package io.servesim.experiments.stress;

import io.servesim.core.config.ConfigException;

import java.util.List;

/**
 * A configuration of step 1: a batching policy on a number of GPUs (one replica per GPU).
 *
 * @param scheduler {@code static}, {@code continuous}, {@code dynamic} or {@code multi_bin} (with the plan's K)
 * @param gpus      GPUs, at least 1
 */
public record Step1Configuration(String scheduler, Integer gpus) {
    /** The batching policies step 1 can compare. */
    public static final List<String> SCHEDULERS = List.of("static", "continuous", "dynamic", "multi_bin");

    public Step1Configuration {
        ConfigException.require(scheduler != null && SCHEDULERS.contains(scheduler), "scheduler",
                "must be one of " + SCHEDULERS, scheduler);
        ConfigException.require(gpus != null && gpus >= 1, "gpus", "must be >= 1", gpus);
    }

    /** static and dynamic on 1 GPU, multi-bin on 1, 2 and 4 GPUs. */
    public static List<Step1Configuration> defaults() {
        return List.of(new Step1Configuration("static", 1), new Step1Configuration("dynamic", 1),
                new Step1Configuration("multi_bin", 1), new Step1Configuration("multi_bin", 2),
                new Step1Configuration("multi_bin", 4));
    }
}
