package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.OFFERED_RPS;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;

import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuScaling;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Step 2: per line of the GPU ladder (same scheduler, K and requests), scaling read against the offered load,
 * which is the same at every count. A saturated count (its queue grows) serves at its capacity, so its throughput
 * per GPU relative to the smallest saturated count is a scaling efficiency; a count that keeps up serves the
 * offered load, and its throughput says nothing about scaling. Also: where goodput levels off (the next count adds
 * &lt; {@value FindingRules#GOODPUT_PLATEAU_GAIN}) and the best GPU count (smallest count within
 * {@value FindingRules#BEST_GPU_TOLERANCE} of the best goodput). A goodput gain from a near-zero base is marked
 * ({@link FindingRules#NEAR_ZERO_BASE}).
 */
public final class GpuScalingAnalysis {

    private GpuScalingAnalysis() {
    }

    public static GpuScaling analyse(List<ConfigSummary> configs) {
        Map<String, List<ConfigSummary>> lines = configs.stream()
                .collect(Collectors.groupingBy(ConfigSummary::seriesAcrossGpus, LinkedHashMap::new, Collectors.toList()));
        List<GpuSeries> series = new ArrayList<>();
        lines.forEach((name, line) -> series.add(series(name,
                line.stream().sorted(Comparator.comparingInt(ConfigSummary::gpus)).toList())));
        return new GpuScaling(series);
    }

    private static GpuSeries series(String name, List<ConfigSummary> ladder) {
        double maxGoodputValue = ladder.stream().mapToDouble(c -> c.mean(GOODPUT_RPS)).filter(Double::isFinite)
                .max().orElse(Double.NaN);
        ConfigSummary firstSaturated = ladder.stream().filter(ConfigSummary::saturated).findFirst().orElse(null);
        double capacityPerGpu = firstSaturated == null ? Double.NaN
                : firstSaturated.mean(THROUGHPUT_RPS) / firstSaturated.gpus();
        List<GpuPoint> points = new ArrayList<>();
        List<Integer> saturated = new ArrayList<>();
        Integer goodputLevelsOff = null;
        for (int i = 0; i < ladder.size(); i++) {
            ConfigSummary config = ladder.get(i);
            double perGpu = config.mean(THROUGHPUT_RPS) / config.gpus();
            RelativeGain gain = null;
            if (i > 0) {
                ConfigSummary previous = ladder.get(i - 1);
                gain = ReplicationStatistics.pairedGain(GOODPUT_RPS, config, previous);
                if (gain != null && !(previous.mean(GOODPUT_RPS) >= FindingRules.NEAR_ZERO_BASE * maxGoodputValue)) {
                    gain = gain.withBaseNearZero();
                }
                if (goodputLevelsOff == null && gain != null && Double.isFinite(gain.gain())
                        && gain.gain() < FindingRules.GOODPUT_PLATEAU_GAIN) {
                    goodputLevelsOff = previous.gpus();
                }
            }
            if (config.saturated()) {
                saturated.add(config.gpus());
            }
            Double offered = ServiceLevelAnalysis.meanOrNull(config, OFFERED_RPS);
            points.add(new GpuPoint(config.gpus(), offered, offered == null ? null : offered / config.gpus(),
                    config.metric(THROUGHPUT_RPS), config.metric(GOODPUT_RPS), perGpu, config.saturated(),
                    config.saturated() && capacityPerGpu > 0 ? perGpu / capacityPerGpu : null, gain));
        }
        Integer keepsUpFrom = null;
        for (int i = ladder.size() - 1; i >= 0 && !ladder.get(i).saturated(); i--) {
            keepsUpFrom = ladder.get(i).gpus();
        }
        ConfigSummary maxGoodput = ladder.stream()
                .max(Comparator.comparingDouble(c -> c.mean(GOODPUT_RPS))).orElseThrow();
        double threshold = (1.0 - FindingRules.BEST_GPU_TOLERANCE) * maxGoodput.mean(GOODPUT_RPS);
        int best = ladder.stream().filter(c -> c.mean(GOODPUT_RPS) >= threshold)
                .mapToInt(ConfigSummary::gpus).min().orElse(maxGoodput.gpus());
        double offered = ladder.stream().mapToDouble(c -> c.mean(OFFERED_RPS)).filter(Double::isFinite).average()
                .orElse(Double.NaN);
        return new GpuSeries(name, Double.isFinite(offered) ? offered : null, points, saturated, keepsUpFrom,
                goodputLevelsOff, best, maxGoodput.gpus());
    }
}
