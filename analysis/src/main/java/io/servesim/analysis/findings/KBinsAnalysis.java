package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;

import io.servesim.analysis.findings.FindingRecords.KBinsSensitivity;
import io.servesim.analysis.findings.FindingRecords.KPoint;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Step 3: per line of the K ladder (same scheduler, GPUs and requests), the throughput gain per
 * doubling of K {@code (T_b / T_a)^(1 / log2(b / a)) − 1}, the plateau (first K past which a
 * doubling adds &lt; {@value FindingRules#K_PLATEAU_GAIN}), the recommended K (smallest K within
 * {@value FindingRules#RECOMMENDED_K_TOLERANCE} of the best throughput) and the best K.
 * Configurations without K (e.g. a non-binned scheduler) are not part of a K ladder.
 */
public final class KBinsAnalysis {

    private KBinsAnalysis() {
    }

    public static KBinsSensitivity analyse(List<ConfigSummary> configs) {
        Map<String, List<ConfigSummary>> lines = configs.stream()
                .filter(c -> c.kBins() != null && c.kBins() > 0)
                .collect(Collectors.groupingBy(ConfigSummary::seriesAcrossK, LinkedHashMap::new, Collectors.toList()));
        List<KSeries> series = new ArrayList<>();
        lines.forEach((name, line) -> series.add(series(name,
                line.stream().sorted(Comparator.comparingInt(ConfigSummary::kBins)).toList())));
        return new KBinsSensitivity(series);
    }

    private static KSeries series(String name, List<ConfigSummary> ladder) {
        List<KPoint> points = new ArrayList<>();
        Integer plateau = null;
        for (int i = 0; i < ladder.size(); i++) {
            ConfigSummary config = ladder.get(i);
            RelativeGain gain = null;
            Double perDoubling = null;
            if (i > 0) {
                ConfigSummary previous = ladder.get(i - 1);
                gain = ReplicationStatistics.relativeGain(
                        THROUGHPUT_RPS, config.metric(THROUGHPUT_RPS), previous.metric(THROUGHPUT_RPS));
                if (gain != null) {
                    double doublings = Math.log((double) config.kBins() / previous.kBins()) / Math.log(2.0);
                    perDoubling = Math.pow(1.0 + gain.gain(), 1.0 / doublings) - 1.0;
                    if (plateau == null && perDoubling < FindingRules.K_PLATEAU_GAIN) {
                        plateau = previous.kBins();
                    }
                }
            }
            points.add(new KPoint(config.kBins(), config.metric(THROUGHPUT_RPS), config.metric(E2E_P95_S),
                    gain, perDoubling));
        }
        ConfigSummary best = ladder.stream()
                .max(Comparator.comparingDouble(c -> c.mean(THROUGHPUT_RPS))).orElseThrow();
        double threshold = (1.0 - FindingRules.RECOMMENDED_K_TOLERANCE) * best.mean(THROUGHPUT_RPS);
        int recommended = ladder.stream().filter(c -> c.mean(THROUGHPUT_RPS) >= threshold)
                .mapToInt(ConfigSummary::kBins).min().orElse(best.kBins());
        return new KSeries(name, points, plateau, recommended, best.kBins());
    }
}
