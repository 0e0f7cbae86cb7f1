package io.servesim.experiments.stress;

import io.servesim.analysis.ResultsSchema;

/** The three steps of the bundled stress plans, with the {@code step} value and the file of their rows (what the tests read). */
public enum StressStep {
    /** Step 1: every configuration at every request count of the ladder. */
    REQUEST_SCALING(1, ResultsSchema.STEP_REQUEST_SCALING),
    /** Step 2: multi-bin batching at the largest request count on every GPU count of the ladder. */
    GPU_SCALING(2, ResultsSchema.STEP_GPU_SCALING),
    /** Step 3: every K of the list at the best GPU count of step 2 and the largest request count. */
    KBINS_SENSITIVITY(3, ResultsSchema.STEP_KBINS_SENSITIVITY);

    /** Prefix of every file of the plan. */
    public static final String FILE_PREFIX = ResultsSchema.STRESS_PREFIX;
    /** All rows of the three steps. */
    public static final String ALL_RESULTS_FILE = FILE_PREFIX + "_all_results.csv";
    /** Wall-clock time of each cell. */
    public static final String TIMINGS_FILE = FILE_PREFIX + "_timings.csv";

    private final int number;
    private final String stepName;

    StressStep(int number, String stepName) {
        this.number = number;
        this.stepName = stepName;
    }

    public int number() {
        return number;
    }

    /** The {@code step} column, e.g. {@code step2_gpu_scaling}. */
    public String stepName() {
        return stepName;
    }

    /** The file of the step's rows, e.g. {@code comprehensive_stress_results_step2_gpu_scaling.csv}. */
    public String fileName() {
        return FILE_PREFIX + "_" + stepName + ".csv";
    }
}
