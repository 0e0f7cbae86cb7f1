package io.servesim.analysis.findings;

import java.util.List;

/**
 * Everything computed from a results folder: what was simulated, the files read, the rules applied and the
 * findings of each step. {@code stressPlan} is true when the folder holds 3-step stress-plan rows.
 */
public record Findings(RunDescription description, List<String> inputFiles, boolean stressPlan, List<String> rules,
                       List<StepFindings> steps) {
}
