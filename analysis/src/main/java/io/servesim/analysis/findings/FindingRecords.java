package io.servesim.analysis.findings;

import java.util.List;

/** The records that make up {@link Findings}; each is plain data written to {@code analysis.json}. */
public final class FindingRecords {

    private FindingRecords() {
    }

    /** Capacity under SLA of a configuration, and per GPU. */
    public record Capacity(String configuration, int gpus, Estimate capacityRps, double capacityRpsPerGpu) {
    }

    /** A configuration that could not keep up with its arrivals. */
    public record SaturatedConfiguration(String configuration, Double overloadRatio,
                                         int saturatedReplications, int replications) {
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

    /** Step 2 at one GPU count. */
    public record GpuPoint(int gpus, Estimate throughputRps, Estimate goodputRps, double throughputPerGpu,
                           double efficiency, RelativeGain goodputGainFromPrevious) {
    }

    /** Step 2 for one line (scheduler, K, requests) of the GPU ladder. */
    public record GpuSeries(String series, List<GpuPoint> points, Integer saturationPointGpus,
                            int bestGpus, int maxGoodputGpus) {
    }

    /** Step 2: scaling efficiency, saturation point and best GPU count. */
    public record GpuScaling(List<GpuSeries> series) {
    }

    /** Step 3 at one K. */
    public record KPoint(int k, Estimate throughputRps, Estimate p95E2e, RelativeGain gainFromPrevious,
                         Double gainPerDoubling) {
    }

    /** Step 3 for one line (scheduler, GPUs, requests) of the K ladder. */
    public record KSeries(String series, List<KPoint> points, Integer plateauK, int recommendedK, int bestK) {
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

    /** Long tail of a configuration: p99/p50 of e2e latency and TTFT. */
    public record Tail(String configuration, Double e2eP99OverP50, Double ttftP99OverP50, boolean saturated) {
    }
}
