package io.servesim.analysis.findings;

import java.util.List;

/** The thresholds of every rule the findings apply, and the rules in words (written to the outputs). */
public final class FindingRules {

    /** Step 2: a ladder step adding less than this relative goodput marks the saturation point. */
    public static final double SATURATION_GOODPUT_GAIN = 0.10;
    /** Step 2: best GPU count = smallest count whose goodput is within this fraction of the best. */
    public static final double BEST_GPU_TOLERANCE = 0.05;
    /** Step 3: a doubling of K adding less than this relative throughput marks the plateau. */
    public static final double K_PLATEAU_GAIN = 0.01;
    /** Step 3: recommended K = smallest K whose throughput is within this fraction of the best. */
    public static final double RECOMMENDED_K_TOLERANCE = 0.01;
    /** SLA: violation rates above this fraction are flagged. */
    public static final double VIOLATION_LIMIT = 0.05;
    /** Step 1: scheduler every other configuration is compared with. */
    public static final String BASELINE_SCHEDULER = "dynamic";

    public static final List<String> IN_WORDS = List.of(
            "Replications: configurations are rows with the same cell_id without its -r<replication> suffix; "
                    + "each metric is the mean over replications with a 95 % Student-t confidence interval.",
            "Relative gains are mean(candidate)/mean(baseline) − 1 with a 95 % confidence interval by the delta method "
                    + "and Welch–Satterthwaite degrees of freedom; a gain is significant when its interval excludes 0.",
            "Saturated configurations (saturated = true in any replication) are never ranked by latency: their latencies "
                    + "measure the run length, not the service.",
            "Step 1: configurations are compared with the " + BASELINE_SCHEDULER + " scheduler at the same request volume "
                    + "(same GPU count when available).",
            "Step 2: scaling efficiency at n GPUs = (T_n / n) / (T_1 / n_1), n_1 the smallest GPU count. Saturation point = "
                    + "the first GPU count past which the next count of the ladder adds < 10 % goodput. Best GPU count = "
                    + "the smallest count within 5 % of the best goodput.",
            "Step 3: gain per doubling of K = (T_b / T_a)^(1 / log2(b / a)) − 1 between consecutive K values. Plateau = "
                    + "the first K past which a doubling adds < 1 % throughput. Recommended K = the smallest K within 1 % "
                    + "of the best throughput; best K = the K of the highest throughput.",
            "SLA: violation rates above 5 % are flagged in both spaces (per-token normalised and absolute request SLA); "
                    + "a p95 TTFT above the TTFT deadline with a request violation rate ≤ 5 % is flagged as a data error.");

    private FindingRules() {
    }
}
