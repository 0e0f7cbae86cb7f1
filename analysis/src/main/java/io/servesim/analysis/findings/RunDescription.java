package io.servesim.analysis.findings;

import java.util.List;

/**
 * What was simulated, as far as the results folder records it: from the rows (model, GPU, parallelism,
 * schedulers, routers, request counts, scales, replications, measured offered load) and from config.json
 * (workload, nominal offered load, seed, engine limits, command, the ServeSim that ran it, the step-time model).
 * A field the folder does not record is {@code null} (or empty), and the findings say "not recorded".
 *
 * @param title               what the report is, e.g. "ServeSim stress plan: Llama-2-7B on H100-SXM, workload
 *                            stress at 200 req/s"
 * @param experiment          {@code stress} or the study's name
 * @param offeredRps          the nominal offered load of every cell (config.json {@code offered_load.rps})
 * @param measuredOfferedRps  the smallest and largest mean measured {@code offered_rps} of a configuration
 * @param stepTimeModel       the step-time model's name: the calibration config.json names
 *                            ({@code step_time_model}), a measured profile, or "uncalibrated roofline"
 * @param stepTimeModelError  its validated error as config.json states it, or null
 * @param simulatedBy         the ServeSim release and commit that ran the cells (config.json {@code servesim})
 * @param analysedBy          the ServeSim that wrote this analysis (null when the caller does not say)
 * @param capacityTolerance   the relative width of a capacity search's final bracket (config.json
 *                            {@code plan.capacity.tolerance}, else {@value #DEFAULT_CAPACITY_TOLERANCE}); capacities
 *                            closer than it are ties
 * @param configNote          why config.json could not be used, or null
 */
public record RunDescription(
        String title,
        String experiment,
        List<String> models,
        List<String> gpuTypes,
        List<String> parallelism,
        List<String> schedulers,
        List<String> routers,
        String workload,
        String workloadDescription,
        Double offeredRps,
        List<Double> measuredOfferedRps,
        List<Double> rpsScales,
        List<Long> requests,
        Long seed,
        int replications,
        Integer maxNumSeqs,
        Integer maxNumBatchedTokens,
        Boolean chunkedPrefill,
        Boolean mixedBatches,
        String sla,
        String command,
        String simulatedBy,
        String analysedBy,
        String stepTimeModel,
        String stepTimeModelError,
        double capacityTolerance,
        String configNote) {

    /** The capacity search's tolerance when config.json does not state it (the plan's default). */
    public static final double DEFAULT_CAPACITY_TOLERANCE = 0.05;

    /** The step-time model when config.json names none. */
    public static final String UNCALIBRATED = "uncalibrated roofline";

    public RunDescription {
        models = List.copyOf(models);
        gpuTypes = List.copyOf(gpuTypes);
        parallelism = List.copyOf(parallelism);
        schedulers = List.copyOf(schedulers);
        routers = List.copyOf(routers);
        measuredOfferedRps = List.copyOf(measuredOfferedRps);
        rpsScales = List.copyOf(rpsScales);
        requests = List.copyOf(requests);
    }
}
