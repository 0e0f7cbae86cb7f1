package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of a plan file's {@code analysis:} list: the name of an analysis ({@value #FINDINGS}, or a table of
 * {@link io.servesim.experiments.report.PlanReports}) and its options (the other keys of the entry; empty when the
 * entry is a bare name).
 *
 * @param name    the analysis
 * @param options its options
 */
public record AnalysisChoice(String name, ObjectNode options) {
    /** The findings, figures and report of docs/analysis.md (what {@code analysis: true} runs). */
    public static final String FINDINGS = "findings";
    /** The option of {@value #FINDINGS} that chooses its figures (default: every kind). */
    public static final String FIGURES = "figures";

    public AnalysisChoice {
        options = options.deepCopy();
    }
}
