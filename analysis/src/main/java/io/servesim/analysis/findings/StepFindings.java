package io.servesim.analysis.findings;

import io.servesim.analysis.findings.FindingRecords.Capacity;
import io.servesim.analysis.findings.FindingRecords.GpuScaling;
import io.servesim.analysis.findings.FindingRecords.KBinsSensitivity;
import io.servesim.analysis.findings.FindingRecords.RequestScaling;
import io.servesim.analysis.findings.FindingRecords.Resources;
import io.servesim.analysis.findings.FindingRecords.SaturatedConfiguration;
import io.servesim.analysis.findings.FindingRecords.Sla;
import io.servesim.analysis.findings.FindingRecords.StudyComparison;
import io.servesim.analysis.findings.FindingRecords.Tail;
import java.util.List;

/**
 * Findings of one step (or one study). Exactly one of {@code requestScaling}, {@code gpuScaling},
 * {@code kBins} and {@code comparison} is set, according to {@code kind}.
 */
public record StepFindings(
        String step,
        StepKind kind,
        List<ConfigSummary> configurations,
        List<Capacity> capacity,
        List<SaturatedConfiguration> saturated,
        RequestScaling requestScaling,
        GpuScaling gpuScaling,
        KBinsSensitivity kBins,
        StudyComparison comparison,
        Sla sla,
        Resources resources,
        List<Tail> tails) {
}
