package io.servesim.experiments.study;

import io.servesim.experiments.scenario.Scenario;
import io.servesim.workloads.WorkloadSpec;

/**
 * The settings a study starts from: the template scenario (config file and flags applied) and the flags that
 * studies interpret themselves; {@code null} means "the study's default".
 *
 * @param template     deployment, engine, scheduler, router, workload and metrics the cells start from
 * @param seed         plan seed every cell's seed derives from
 * @param replications runs per configuration, or null
 * @param rpsScale     arrival-rate multiplier, or null for the workload's own
 * @param requests     requests per run, or null for the workload's own
 * @param model        catalog model name, or null
 */
public record StudySettings(Scenario template, long seed, Integer replications, Double rpsScale, Long requests,
                            String model) {
    /** The template's workload with the request count and rps scale of the flags, when given. */
    public WorkloadSpec workload() {
        WorkloadSpec w = template.workload();
        if (requests != null) {
            w = w.withRequests(requests);
        }
        if (rpsScale != null) {
            w = w.withRpsScale(rpsScale);
        }
        return w;
    }

    /** The replications flag, or {@code fallback}. */
    public int replicationsOr(int fallback) {
        return replications != null ? replications : fallback;
    }
}
