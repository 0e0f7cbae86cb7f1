package io.servesim.analysis.findings;

import io.servesim.analysis.findings.FindingRecords.Ranked;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Rankings of configurations by the mean of one metric. */
final class Rankings {

    private Rankings() {
    }

    /** Highest mean first; configurations without the metric are left out. */
    static List<Ranked> highestFirst(List<ConfigSummary> configs, String metric) {
        return rank(configs, metric, Comparator.comparingDouble((ConfigSummary c) -> c.mean(metric)).reversed());
    }

    /** Lowest mean first; configurations without the metric are left out. */
    static List<Ranked> lowestFirst(List<ConfigSummary> configs, String metric) {
        return rank(configs, metric, Comparator.comparingDouble((ConfigSummary c) -> c.mean(metric)));
    }

    /** Lowest latency first among unsaturated configurations only. */
    static List<Ranked> byLatencyUnsaturated(List<ConfigSummary> configs, String metric) {
        return lowestFirst(configs.stream().filter(c -> !c.saturated()).toList(), metric);
    }

    /** Labels of the saturated configurations, which latency rankings exclude. */
    static List<String> saturatedLabels(List<ConfigSummary> configs) {
        return configs.stream().filter(ConfigSummary::saturated).map(ConfigSummary.distinctNames(configs)).toList();
    }

    private static List<Ranked> rank(List<ConfigSummary> configs, String metric, Comparator<ConfigSummary> order) {
        Function<ConfigSummary, String> name = ConfigSummary.distinctNames(configs);
        List<ConfigSummary> sorted = configs.stream().filter(c -> c.metric(metric) != null).sorted(order).toList();
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(new Ranked(i + 1, name.apply(sorted.get(i)), sorted.get(i).metric(metric)));
        }
        return ranked;
    }
}
