package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.*;

import io.servesim.analysis.findings.FindingRecords.Capacity;
import io.servesim.analysis.findings.FindingRecords.ResourceRow;
import io.servesim.analysis.findings.FindingRecords.Resources;
import io.servesim.analysis.findings.FindingRecords.SaturatedConfiguration;
import io.servesim.analysis.findings.FindingRecords.Sla;
import io.servesim.analysis.findings.FindingRecords.SlaRow;
import io.servesim.analysis.findings.FindingRecords.Tail;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Findings every step has: capacity under SLA, saturation, SLA in both spaces and the long tail. */
public final class ServiceLevelAnalysis {

    private ServiceLevelAnalysis() {
    }

    /**
     * Capacity under SLA and per GPU, highest per GPU first, ranked with ties: a configuration whose capacity per GPU
     * is at least 1 / (1 + {@code tolerance}) of the first of the group above it shares that group's rank. Empty when
     * the column is empty.
     */
    public static List<Capacity> capacity(List<ConfigSummary> configs, double tolerance) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        List<ConfigSummary> sorted = configs.stream()
                .filter(c -> c.metric(CAPACITY_RPS_UNDER_SLA) != null)
                .sorted(Comparator.comparingDouble((ConfigSummary c) -> c.mean(CAPACITY_RPS_UNDER_SLA) / c.gpus())
                        .reversed())
                .toList();
        List<Capacity> ranked = new java.util.ArrayList<>();
        double leader = Double.NaN;
        int rank = 0;
        for (int i = 0; i < sorted.size(); i++) {
            ConfigSummary c = sorted.get(i);
            double perGpu = c.mean(CAPACITY_RPS_UNDER_SLA) / c.gpus();
            if (i == 0 || perGpu < leader / (1 + tolerance)) {
                rank = i + 1;
                leader = perGpu;
            }
            ranked.add(new Capacity(rank, name.apply(c), c.gpus(), c.metric(CAPACITY_RPS_UNDER_SLA), perGpu));
        }
        return ranked;
    }

    /** Configurations saturated in at least one replication. */
    public static List<SaturatedConfiguration> saturated(List<ConfigSummary> configs) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        return configs.stream()
                .filter(ConfigSummary::saturated)
                .map(c -> new SaturatedConfiguration(name.apply(c), meanOrNull(c, OFFERED_RPS),
                        meanOrNull(c, THROUGHPUT_RPS), meanOrNull(c, QUEUE_LEN_AT_MID_ARRIVAL),
                        meanOrNull(c, QUEUE_LEN_AT_LAST_ARRIVAL), meanOrNull(c, QUEUE_TREND_FRACTION),
                        meanOrNull(c, OVERLOAD_RATIO), c.saturatedReplications(), c.replications()))
                .toList();
    }

    /**
     * Batch size, batch occupancy (mean batch / {@code maxNumSeqs}, when known), KV-cache use and busy fraction per
     * configuration; rows without any of them are left out.
     */
    public static Resources resources(List<ConfigSummary> configs, Integer maxNumSeqs) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        List<ResourceRow> rows = configs.stream()
                .filter(c -> c.metric(MEAN_BATCH_SIZE) != null || c.metric(KV_USAGE_MEAN) != null)
                .map(c -> {
                    Double batch = meanOrNull(c, MEAN_BATCH_SIZE);
                    Double occupancy = batch == null || maxNumSeqs == null || maxNumSeqs <= 0 ? null : batch / maxNumSeqs;
                    return new ResourceRow(name.apply(c), batch, occupancy, meanOrNull(c, KV_USAGE_MEAN),
                            meanOrNull(c, KV_USAGE_PEAK), meanOrNull(c, GPU_UTIL_MEAN));
                })
                .toList();
        return new Resources(maxNumSeqs, rows);
    }

    /** Per-token normalised versus absolute request SLA, with the flags of {@link FindingRules}. */
    public static Sla sla(List<ConfigSummary> configs) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        List<SlaRow> rows = configs.stream().map(c -> slaRow(c, name.apply(c))).toList();
        return new Sla(rows,
                rows.stream().filter(SlaRow::normViolationAboveLimit).map(SlaRow::configuration).toList(),
                rows.stream().filter(SlaRow::requestViolationAboveLimit).map(SlaRow::configuration).toList(),
                rows.stream().filter(SlaRow::ttftP95AboveDeadline).map(SlaRow::configuration).toList(),
                rows.stream().filter(SlaRow::dataError).map(SlaRow::configuration).toList());
    }

    /** p99/p50 of e2e latency and TTFT per configuration. */
    public static List<Tail> tails(List<ConfigSummary> configs) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        return configs.stream()
                .map(c -> new Tail(name.apply(c), ratio(c, E2E_P99_S, E2E_P50_S), ratio(c, TTFT_P99_S, TTFT_P50_S),
                        c.saturated()))
                .toList();
    }

    private static SlaRow slaRow(ConfigSummary c, String name) {
        Double normRate = meanOrNull(c, SLA_NORM_VIOLATION_RATE);
        Double requestRate = meanOrNull(c, SLA_REQUEST_VIOLATION_RATE);
        Double ttftDeadline = meanOrNull(c, SLA_TTFT_S);
        Double ttftP95 = meanOrNull(c, TTFT_P95_S);
        boolean normAbove = normRate != null && normRate > FindingRules.VIOLATION_LIMIT;
        boolean requestAbove = requestRate != null && requestRate > FindingRules.VIOLATION_LIMIT;
        boolean ttftAbove = ttftDeadline != null && ttftP95 != null && ttftP95 > ttftDeadline;
        boolean dataError = ttftAbove && requestRate != null && requestRate <= FindingRules.VIOLATION_LIMIT;
        return new SlaRow(name, normRate, meanOrNull(c, SLA_NORM_LATENCY_S_PER_TOKEN), requestRate,
                ttftDeadline, meanOrNull(c, SLA_TPOT_S), ttftP95, meanOrNull(c, E2E_P95_S), meanOrNull(c, E2E_P99_S),
                normAbove, requestAbove, ttftAbove, dataError);
    }

    private static Double ratio(ConfigSummary c, String numerator, String denominator) {
        double p50 = c.mean(denominator);
        double p99 = c.mean(numerator);
        return Double.isFinite(p50) && Double.isFinite(p99) && p50 > 0.0 ? p99 / p50 : null;
    }

    static Double meanOrNull(ConfigSummary c, String column) {
        Estimate estimate = c.metric(column);
        return estimate == null ? null : estimate.mean();
    }
}
