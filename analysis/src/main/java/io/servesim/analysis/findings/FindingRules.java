package io.servesim.analysis.findings;

import java.util.List;

/** The thresholds of every rule the findings apply, and the rules in words (written to the outputs). */
public final class FindingRules {

    /** Step 2: a ladder step adding less than this relative goodput means goodput has levelled off. */
    public static final double GOODPUT_PLATEAU_GAIN = 0.10;
    /** Step 2: best GPU count = smallest count whose goodput is within this fraction of the best. */
    public static final double BEST_GPU_TOLERANCE = 0.05;
    /** A single run (no interval) counts a change of a rate (throughput, goodput) at least this large as real. */
    public static final double RATE_EFFECT_SIZE = 0.05;
    /** A single run (no interval) counts a change of a latency percentile at least this large as real. */
    public static final double LATENCY_EFFECT_SIZE = 0.10;
    /**
     * A relative change is printed only when its baseline is at least this fraction of the largest value of the
     * comparison; below it, "+684 %" would say more about the small base than about the change, so the absolute
     * difference is printed instead.
     */
    public static final double NEAR_ZERO_BASE = 0.05;
    /**
     * Saturated cells offered at least this many arrivals per completion ({@code overload_ratio}) are flagged as
     * massively overloaded (the same limit as the engine's {@code RunMetrics.MASSIVE_OVERLOAD_RATIO}, which
     * {@code servesim run} warns about).
     */
    public static final double MASSIVE_OVERLOAD_RATIO = 10;
    /** SLA: violation rates above this fraction are flagged. */
    public static final double VIOLATION_LIMIT = 0.05;
    /** Step 1: scheduler every other configuration is compared with. */
    public static final String BASELINE_SCHEDULER = "dynamic";

    public static final List<String> IN_WORDS = List.of(
            "Replications: configurations are rows with the same cell_id without its -r<replication> suffix; "
                    + "each metric is the mean over replications with a 95 % Student-t confidence interval.",
            "Changes between configurations are mean(candidate)/mean(baseline) − 1. With two or more replications "
                    + "on both sides their 95 % interval pairs replications by index (replication r of every "
                    + "configuration sees the same requests: common random numbers), else it is unpaired (delta method, "
                    + "Welch–Satterthwaite); a change is significant when its interval excludes 0. A single run has no "
                    + "interval: a change counts only when it is at least 5 % for a rate (throughput, goodput) or 10 % "
                    + "for a latency percentile.",
            "A relative change whose baseline is below 5 % of the largest value compared is printed as an absolute "
                    + "difference (\"n/a (base ≈ 0)\"), never as a percentage of a near-zero base.",
            "Saturated means one thing: the cell cannot keep up with its arrivals, its waiting queue grows over the "
                    + "run (queue_trend_fraction > 0.02), or it sheds load, or completions lag while latency grows. "
                    + "A saturated cell's throughput estimates its service capacity; its latencies measure the run "
                    + "length, not the service, so saturated cells are never ranked or compared by latency.",
            "Step 1: configurations are compared with the " + BASELINE_SCHEDULER + " scheduler at the same request volume "
                    + "(same GPU count when available).",
            "Step 2: the offered load is the same at every GPU count, so scaling is read against it. While a count is "
                    + "saturated its throughput is its capacity, and capacity per GPU relative to the smallest saturated "
                    + "count is its scaling efficiency. A count that keeps up serves the offered load: its throughput is "
                    + "set by the load, not by the GPUs, and adding GPUs cannot raise it: the load limits it there, not the system. "
                    + "Goodput levels off past the first count after which the next adds < 10 %. Best GPU count = the "
                    + "smallest count within 5 % of the best goodput.",
            "Step 3: each K is compared with the smallest K of the ladder on goodput first, then on p95 TTFT (only "
                    + "between unsaturated cells), throughput last. A K is better when its goodput gain counts (see "
                    + "above), or goodput does not change and its p95 TTFT falls by a change that counts while "
                    + "throughput does not fall by one. A K is recommended only when some K is better; it is the "
                    + "smallest better K whose goodput does not count as below the best better K's. Otherwise the "
                    + "findings say there is no significant difference, and why.",
            "SLA: violation rates above 5 % are flagged in both spaces (per-token normalised and absolute request SLA); "
                    + "a p95 TTFT above the TTFT deadline with a request violation rate ≤ 5 % is flagged as a data error.",
            "GPU busy fraction (time with any work) is not reported as utilisation: it is ≈ 100 % whenever a batch "
                    + "keeps running, however small. Mean batch size, batch occupancy (mean batch / max_num_seqs) and "
                    + "KV-cache use say how full the GPUs were.");

    private FindingRules() {
    }
}
