package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.QUEUE_DELAY_P95_S;
import static io.servesim.analysis.ResultsSchema.SLA_TTFT_S;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;
import static io.servesim.analysis.ResultsSchema.TTFT_P95_S;

import io.servesim.analysis.findings.FindingRecords.KBinsSensitivity;
import io.servesim.analysis.findings.FindingRecords.KPoint;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import io.servesim.analysis.findings.FindingRecords.KVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Step 3: per line of the K ladder (same scheduler, GPUs and requests), what K changes — judged on goodput first,
 * then p95 TTFT (between unsaturated cells only), throughput last, each K against the smallest K of the ladder.
 * A change counts when it is significant across replications (paired by replication: common random numbers), or,
 * in a single run, at least {@value FindingRules#RATE_EFFECT_SIZE} for a rate and
 * {@value FindingRules#LATENCY_EFFECT_SIZE} for a latency. K is recommended only when some K is better than the
 * smallest; otherwise the verdict is "no significant difference" (or "identical", when every K gives the same
 * numbers to the last digit), with the reason. Configurations without K (e.g. a non-binned scheduler) are not part
 * of a K ladder.
 */
public final class KBinsAnalysis {

    /** A p95 queueing delay below this fraction of the TTFT deadline means queues hardly form. */
    static final double SHORT_QUEUE_FRACTION_OF_TTFT = 0.05;

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
        ConfigSummary base = ladder.get(0);
        int replications = ladder.stream().mapToInt(ConfigSummary::replications).min().orElse(1);
        List<KPoint> points = new ArrayList<>();
        List<ConfigSummary> better = new ArrayList<>();
        for (ConfigSummary config : ladder) {
            if (config == base) {
                points.add(point(config, null, null, null, false));
                continue;
            }
            RelativeGain goodput = ReplicationStatistics.pairedGain(GOODPUT_RPS, config, base);
            RelativeGain ttft = config.saturated() || base.saturated() ? null
                    : ReplicationStatistics.pairedGain(TTFT_P95_S, config, base);
            RelativeGain throughput = ReplicationStatistics.pairedGain(THROUGHPUT_RPS, config, base);
            boolean isBetter = isBetter(goodput, ttft, throughput);
            if (isBetter) {
                better.add(config);
            }
            points.add(point(config, goodput, ttft, throughput, isBetter));
        }
        int bestGoodputK = ladder.stream().max(Comparator.comparingDouble(c -> finiteOr(c.mean(GOODPUT_RPS))))
                .orElseThrow().kBins();
        if (!better.isEmpty()) {
            ConfigSummary bestBetter = better.stream().max(Comparator.comparingDouble(c -> finiteOr(c.mean(GOODPUT_RPS))))
                    .orElseThrow();
            ConfigSummary recommended = better.stream()
                    .filter(c -> c == bestBetter || !countsAsLower(ReplicationStatistics.pairedGain(GOODPUT_RPS, c,
                            bestBetter)))
                    .min(Comparator.comparingInt(ConfigSummary::kBins)).orElse(bestBetter);
            return new KSeries(name, base.kBins(), replications, points, KVerdict.RECOMMENDED, recommended.kBins(),
                    bestGoodputK, recommendedReason(recommended, points, base, replications));
        }
        boolean identical = ladder.stream().allMatch(c -> sameNumbers(c, base));
        return new KSeries(name, base.kBins(), replications, points,
                identical ? KVerdict.IDENTICAL : KVerdict.NO_SIGNIFICANT_DIFFERENCE, null, bestGoodputK,
                noDifferenceReason(identical, ladder, base, replications));
    }

    /**
     * Better than the smallest K: goodput up by a change that counts; or goodput not changed by one, p95 TTFT down by
     * one (both unsaturated), and throughput not down by one.
     */
    static boolean isBetter(RelativeGain goodput, RelativeGain ttft, RelativeGain throughput) {
        if (goodput != null && goodput.meaningful(FindingRules.RATE_EFFECT_SIZE)) {
            return goodput.difference() > 0;
        }
        boolean ttftDown = ttft != null && ttft.meaningful(FindingRules.LATENCY_EFFECT_SIZE) && ttft.difference() < 0;
        boolean throughputDown = throughput != null && throughput.meaningful(FindingRules.RATE_EFFECT_SIZE)
                && throughput.difference() < 0;
        return ttftDown && !throughputDown;
    }

    private static boolean countsAsLower(RelativeGain gain) {
        return gain != null && gain.meaningful(FindingRules.RATE_EFFECT_SIZE) && gain.difference() < 0;
    }

    private static KPoint point(ConfigSummary c, RelativeGain goodput, RelativeGain ttft, RelativeGain throughput,
                                boolean better) {
        return new KPoint(c.kBins(), c.metric(THROUGHPUT_RPS), c.metric(GOODPUT_RPS), c.metric(TTFT_P95_S),
                c.metric(E2E_P95_S), c.metric(QUEUE_DELAY_P95_S), c.saturated(), goodput, ttft, throughput, better);
    }

    private static boolean sameNumbers(ConfigSummary a, ConfigSummary b) {
        for (String metric : List.of(THROUGHPUT_RPS, GOODPUT_RPS, TTFT_P95_S, E2E_P95_S)) {
            if (!Objects.equals(mean(a, metric), mean(b, metric))) {
                return false;
            }
        }
        return true;
    }

    private static Double mean(ConfigSummary c, String metric) {
        Estimate e = c.metric(metric);
        return e == null ? null : e.mean();
    }

    private static double finiteOr(double value) {
        return Double.isFinite(value) ? value : Double.NEGATIVE_INFINITY;
    }

    private static String recommendedReason(ConfigSummary recommended, List<KPoint> points, ConfigSummary base,
                                            int replications) {
        KPoint p = points.stream().filter(x -> x.k() == recommended.kBins()).findFirst().orElseThrow();
        String how = replications > 1
                ? "significant across " + replications + " replications paired on common random numbers (95 % CI)"
                : "a single run, so no interval: the change exceeds the stated effect size ("
                        + percent(FindingRules.RATE_EFFECT_SIZE) + " for goodput, "
                        + percent(FindingRules.LATENCY_EFFECT_SIZE) + " for p95 TTFT); run --replications 3 to test it";
        String what = p.goodputVsBase() != null && p.goodputVsBase().meaningful(FindingRules.RATE_EFFECT_SIZE)
                ? "it raises goodput over K=" + base.kBins()
                : "it lowers p95 TTFT below K=" + base.kBins() + "'s without a loss of goodput or throughput";
        return what + "; " + how + ".";
    }

    private static String noDifferenceReason(boolean identical, List<ConfigSummary> ladder, ConfigSummary base,
                                             int replications) {
        StringBuilder reason = new StringBuilder(identical
                ? "every K gives the same throughput, goodput and latencies to the last digit: the bins never changed"
                        + " which request ran when"
                : replications > 1
                        ? "no K changes goodput or p95 TTFT significantly against K=" + base.kBins() + " (95 % CI, paired"
                                + " over " + replications + " replications)"
                        : "no K changes goodput by " + percent(FindingRules.RATE_EFFECT_SIZE) + " or p95 TTFT by "
                                + percent(FindingRules.LATENCY_EFFECT_SIZE) + " or more against K=" + base.kBins()
                                + " in this single run (no interval: run --replications 3 to test smaller differences)");
        double queueDelay = base.mean(QUEUE_DELAY_P95_S);
        double ttftDeadline = base.mean(SLA_TTFT_S);
        boolean allSaturated = ladder.stream().allMatch(ConfigSummary::saturated);
        if (allSaturated) {
            reason.append("; every K is saturated at this load, so every K queues and serves at capacity");
        } else if (Double.isFinite(queueDelay) && Double.isFinite(ttftDeadline)
                && queueDelay < SHORT_QUEUE_FRACTION_OF_TTFT * ttftDeadline) {
            reason.append(String.format(Locale.ROOT, "; queues hardly form at this load (p95 queueing delay %s s at K=%d,"
                    + " against a TTFT deadline of %s s), so the bins have next to nothing to reorder",
                    RunDescriptionReader.compact(queueDelay), base.kBins(), RunDescriptionReader.compact(ttftDeadline)));
        }
        return reason.toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
