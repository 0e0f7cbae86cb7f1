package io.servesim.analysis.findings;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;

import io.servesim.analysis.ResultsCsvLoader.LoadedResults;
import io.servesim.analysis.findings.FindingRecords.StudyComparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Computes the {@link Findings} of loaded results: one {@link StepFindings} per value of {@code step}. */
public final class FindingsCalculator {

    private final ConfigurationAggregator aggregator = new ConfigurationAggregator();

    /** The findings of loaded results, without saying which ServeSim analysed them. */
    public Findings calculate(LoadedResults results) {
        return calculate(results, null);
    }

    /** The findings of loaded results; {@code analysedBy} names the ServeSim that analyses them (may be null). */
    public Findings calculate(LoadedResults results, String analysedBy) {
        List<ConfigSummary> all = aggregator.summarise(results.rows());
        Map<String, List<ConfigSummary>> bySteps = all.stream()
                .collect(Collectors.groupingBy(ConfigSummary::step, LinkedHashMap::new, Collectors.toList()));
        boolean stressPlan = bySteps.keySet().stream().anyMatch(s -> StepKind.of(s) != StepKind.COMPARISON);
        RunDescription description = RunDescriptionReader.describe(results, all, stressPlan, analysedBy);
        List<StepFindings> steps = new ArrayList<>();
        bySteps.forEach((step, configs) -> steps.add(step(step, configs, description)));
        return new Findings(description, results.files(), stressPlan, FindingRules.IN_WORDS, steps);
    }

    private static StepFindings step(String step, List<ConfigSummary> configs, RunDescription description) {
        StepKind kind = StepKind.of(step);
        return new StepFindings(step, kind, configs,
                ServiceLevelAnalysis.capacity(configs, description.capacityTolerance()),
                ServiceLevelAnalysis.saturated(configs),
                kind == StepKind.REQUEST_SCALING ? RequestScalingAnalysis.analyse(configs) : null,
                kind == StepKind.GPU_SCALING ? GpuScalingAnalysis.analyse(configs) : null,
                kind == StepKind.KBINS_SENSITIVITY ? KBinsAnalysis.analyse(configs) : null,
                kind == StepKind.COMPARISON ? comparison(configs) : null,
                ServiceLevelAnalysis.sla(configs),
                ServiceLevelAnalysis.resources(configs, description.maxNumSeqs()),
                ServiceLevelAnalysis.tails(configs));
    }

    private static StudyComparison comparison(List<ConfigSummary> configs) {
        return new StudyComparison(
                Rankings.highestFirst(configs, THROUGHPUT_RPS),
                Rankings.highestFirst(configs, GOODPUT_RPS),
                Rankings.byLatencyUnsaturated(configs, E2E_P95_S),
                Rankings.saturatedLabels(configs));
    }
}
