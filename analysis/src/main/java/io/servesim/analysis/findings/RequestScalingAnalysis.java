package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;

import io.servesim.analysis.findings.FindingRecords.BaselineComparison;
import io.servesim.analysis.findings.FindingRecords.RequestScaling;
import io.servesim.analysis.findings.FindingRecords.VolumeRanking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Step 1: at each request volume, configurations ranked by throughput and (unsaturated only) by
 * p95 e2e latency, and each compared with the {@value FindingRules#BASELINE_SCHEDULER} baseline
 * of the same volume (same GPU count when there is one).
 */
public final class RequestScalingAnalysis {

    private RequestScalingAnalysis() {
    }

    public static RequestScaling analyse(List<ConfigSummary> configs) {
        Map<Long, List<ConfigSummary>> byVolume = configs.stream()
                .collect(Collectors.groupingBy(ConfigSummary::requests, TreeMap::new, Collectors.toList()));
        List<VolumeRanking> volumes = new ArrayList<>();
        byVolume.forEach((requests, atVolume) -> volumes.add(volume(requests, atVolume)));
        return new RequestScaling(FindingRules.BASELINE_SCHEDULER, volumes);
    }

    private static VolumeRanking volume(long requests, List<ConfigSummary> atVolume) {
        List<ConfigSummary> baselines = atVolume.stream()
                .filter(c -> c.scheduler().equals(FindingRules.BASELINE_SCHEDULER)).toList();
        List<BaselineComparison> comparisons = new ArrayList<>();
        if (!baselines.isEmpty()) {
            for (ConfigSummary candidate : atVolume) {
                if (!candidate.scheduler().equals(FindingRules.BASELINE_SCHEDULER)) {
                    comparisons.add(compare(candidate, baselineFor(candidate, baselines)));
                }
            }
        }
        String baselineNote = baselines.isEmpty()
                ? "no " + FindingRules.BASELINE_SCHEDULER + " configuration at this volume, so no relative gains"
                : null;
        return new VolumeRanking(requests,
                Rankings.highestFirst(atVolume, THROUGHPUT_RPS),
                Rankings.byLatencyUnsaturated(atVolume, E2E_P95_S),
                Rankings.saturatedLabels(atVolume),
                comparisons,
                baselineNote);
    }

    private static ConfigSummary baselineFor(ConfigSummary candidate, List<ConfigSummary> baselines) {
        return baselines.stream().filter(b -> b.gpus() == candidate.gpus()).findFirst().orElse(baselines.get(0));
    }

    private static BaselineComparison compare(ConfigSummary candidate, ConfigSummary baseline) {
        RelativeGain throughput = ReplicationStatistics.relativeGain(
                THROUGHPUT_RPS, candidate.metric(THROUGHPUT_RPS), baseline.metric(THROUGHPUT_RPS));
        if (candidate.saturated() || baseline.saturated()) {
            String which = candidate.saturated() ? candidate.label() : baseline.label();
            return new BaselineComparison(candidate.label(), baseline.label(), throughput, null,
                    "p95 not compared: " + which + " is saturated");
        }
        RelativeGain p95 = ReplicationStatistics.relativeGain(
                E2E_P95_S, candidate.metric(E2E_P95_S), baseline.metric(E2E_P95_S));
        return new BaselineComparison(candidate.label(), baseline.label(), throughput, p95, null);
    }
}
