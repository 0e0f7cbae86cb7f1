package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
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
 * Step 2: per line of the GPU ladder (same scheduler, K and requests), the scaling efficiency
 * {@code (T_n / n) / (T_1 / n_1)}, the saturation point (first count past which the next count
 * adds &lt; {@value FindingRules#SATURATION_GOODPUT_GAIN} goodput) and the best GPU count
 * (smallest count within {@value FindingRules#BEST_GPU_TOLERANCE} of the best goodput).
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
        ConfigSummary smallest = ladder.get(0);
        double baselinePerGpu = smallest.mean(THROUGHPUT_RPS) / smallest.gpus();
        List<GpuPoint> points = new ArrayList<>();
        Integer saturationPoint = null;
        for (int i = 0; i < ladder.size(); i++) {
            ConfigSummary config = ladder.get(i);
            double perGpu = config.mean(THROUGHPUT_RPS) / config.gpus();
            RelativeGain gain = i == 0 ? null : ReplicationStatistics.relativeGain(
                    GOODPUT_RPS, config.metric(GOODPUT_RPS), ladder.get(i - 1).metric(GOODPUT_RPS));
            if (saturationPoint == null && gain != null && gain.gain() < FindingRules.SATURATION_GOODPUT_GAIN) {
                saturationPoint = ladder.get(i - 1).gpus();
            }
            points.add(new GpuPoint(config.gpus(), config.metric(THROUGHPUT_RPS), config.metric(GOODPUT_RPS),
                    perGpu, perGpu / baselinePerGpu, gain));
        }
        ConfigSummary maxGoodput = ladder.stream()
                .max(Comparator.comparingDouble(c -> c.mean(GOODPUT_RPS))).orElseThrow();
        double threshold = (1.0 - FindingRules.BEST_GPU_TOLERANCE) * maxGoodput.mean(GOODPUT_RPS);
        int best = ladder.stream().filter(c -> c.mean(GOODPUT_RPS) >= threshold)
                .mapToInt(ConfigSummary::gpus).min().orElse(maxGoodput.gpus());
        return new GpuSeries(name, points, saturationPoint, best, maxGoodput.gpus());
    }
}
