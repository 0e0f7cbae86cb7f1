package io.servesim.analysis.findings;

import java.util.List;

/** The records that make up {@link Findings}; each is plain data written to {@code analysis.json}. */
public final class FindingRecords {

    private FindingRecords() {
    }

    /**
     * Capacity under SLA of a configuration, and per GPU, with its rank by capacity per GPU: configurations whose
     * capacities per GPU are within the capacity search's tolerance of the best of their group share its rank (a
     * search brackets the capacity only to that tolerance, so a smaller difference is not a difference).
     */
    public record Capacity(int rank, String configuration, int gpus, Estimate capacityRps, double capacityRpsPerGpu) {
    }

    /**
     * A saturated configuration: it could not keep up with its arrivals. It served with a queue waiting from the
     * moment it saturated to the end of the run, so its throughput ({@code throughput_rps}, completions over the
     * simulated horizon) estimates its service capacity.
     */
    public record SaturatedConfiguration(String configuration, Double offeredRps, Double estimatedCapacityRps,
                                         Double queueAtMidArrival, Double queueAtLastArrival, Double queueTrendFraction,
                                         Double overloadRatio, int saturatedReplications, int replications) {
    }

    /** Place of a configuration in a ranking by one metric. */
    public record Ranked(int rank, String configuration, Estimate value) {
    }

    /** A configuration against the baseline at the same request volume. */
    public record BaselineComparison(String configuration, String baseline, RelativeGain throughput,
                                     RelativeGain p95E2e, String p95Note) {
    }

    /** Step 1 at one request volume. */
    public record VolumeRanking(long requests, List<Ranked> byThroughput, List<Ranked> byP95E2e,
                                List<String> excludedFromLatencyRanking, List<BaselineComparison> versusBaseline,
                                String baselineNote) {
    }

    /** Step 1: scheduler rankings at each request volume. */
    public record RequestScaling(String baselineScheduler, List<VolumeRanking> volumes) {
    }

    /**
     * Step 2 at one GPU count. {@code capacityEfficiency} is set only for a saturated count: its throughput per GPU
     * relative to that of the smallest saturated count of the ladder (a count that keeps up has no capacity to
     * compare, its throughput is the offered load).
     */
    public record GpuPoint(int gpus, Double offeredRps, Double offeredRpsPerGpu, Estimate throughputRps,
                           Estimate goodputRps, double throughputPerGpu, boolean saturated, Double capacityEfficiency,
                           RelativeGain goodputGainFromPrevious) {
    }

    /**
     * Step 2 for one line (scheduler, K, requests) of the GPU ladder: the offered load, which counts are saturated,
     * from which count on the cluster keeps up (null if none), where goodput levels off (null if it never does),
     * and the best GPU count.
     */
    public record GpuSeries(String series, Double offeredRps, List<GpuPoint> points, List<Integer> saturatedGpus,
                            Integer keepsUpFromGpus, Integer goodputLevelsOffGpus, int bestGpus, int maxGoodputGpus) {
    }

    /** Step 2: GPU scaling against the offered load. */
    public record GpuScaling(List<GpuSeries> series) {
    }

    /**
     * Step 3 at one K, with its changes from the smallest K of the ladder (null at that K itself; the TTFT change is
     * null when either cell is saturated).
     */
    public record KPoint(int k, Estimate throughputRps, Estimate goodputRps, Estimate ttftP95S, Estimate e2eP95S,
                         Estimate queueDelayP95S, boolean saturated, RelativeGain goodputVsBase,
                         RelativeGain ttftP95VsBase, RelativeGain throughputVsBase, boolean better) {
    }

    /** What step 3 concludes about K on one line. */
    public enum KVerdict {
        /** Some K is better than the smallest K; {@code recommendedK} says which. */
        RECOMMENDED,
        /** The K values differ, but by no change that counts. */
        NO_SIGNIFICANT_DIFFERENCE,
        /** Every K gives the same throughput, goodput and latencies to the last digit. */
        IDENTICAL
    }

    /**
     * Step 3 for one line (scheduler, GPUs, requests) of the K ladder: the verdict, the recommended K (only with
     * {@link KVerdict#RECOMMENDED}), the K of the highest goodput, and why, in words.
     */
    public record KSeries(String series, int baseK, int replications, List<KPoint> points, KVerdict verdict,
                          Integer recommendedK, int bestGoodputK, String reason) {
    }

    /** Step 3: K-bins sensitivity. */
    public record KBinsSensitivity(List<KSeries> series) {
    }

    /** Generic study: rankings of all configurations of the study. */
    public record StudyComparison(List<Ranked> byThroughput, List<Ranked> byGoodput, List<Ranked> byP95E2e,
                                  List<String> excludedFromLatencyRanking) {
    }

    /** SLA view of a configuration in both spaces: per-token normalised and absolute request SLA. */
    public record SlaRow(String configuration, Double normViolationRate, Double normDeadlineSPerToken,
                         Double requestViolationRate, Double ttftDeadlineS, Double tpotDeadlineS,
                         Double ttftP95S, Double e2eP95S, Double e2eP99S, boolean normViolationAboveLimit,
                         boolean requestViolationAboveLimit, boolean ttftP95AboveDeadline, boolean dataError) {
    }

    /** SLA discussion of a step. */
    public record Sla(List<SlaRow> rows, List<String> normViolationAboveLimit, List<String> requestViolationAboveLimit,
                      List<String> ttftP95AboveDeadline, List<String> dataErrors) {
    }

    /**
     * How full a configuration kept its GPUs: sequences per iteration, the same as a fraction of
     * {@code max_num_seqs} (null when config.json does not say it), KV-cache use (time-weighted mean and peak), and
     * the busy fraction (time with any work), which says little on its own.
     */
    public record ResourceRow(String configuration, Double meanBatchSize, Double batchOccupancy, Double kvUsageMean,
                              Double kvUsagePeak, Double busyFraction) {
    }

    /** Resource use of a step; {@code maxNumSeqs} is the engine's batch limit when known. */
    public record Resources(Integer maxNumSeqs, List<ResourceRow> rows) {
    }

    /** Long tail of a configuration: p99/p50 of e2e latency and TTFT. */
    public record Tail(String configuration, Double e2eP99OverP50, Double ttftP99OverP50, boolean saturated) {
    }
}
