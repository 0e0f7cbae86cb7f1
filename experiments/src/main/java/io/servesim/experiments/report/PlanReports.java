package io.servesim.experiments.report;

import io.servesim.core.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports a plan file can name in {@code analysis:}, by name: a closed list (a new report is one line here).
 * An unknown name fails with the list.
 */
public final class PlanReports {
    private static final Map<String, PlanReport> BY_NAME = new LinkedHashMap<>();

    static {
        for (PlanReport report : List.of(new OutcomesReport(), new ChangesReport(), new LayoutsReport(),
                new GpuUsageCsv(), new ExpertParallelReport(), new CostEnergyReport())) {
            BY_NAME.put(report.name(), report);
        }
    }

    private PlanReports() {
    }

    /** Every report name, in the order above. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The report {@code name}; an unknown name fails with the list of reports. */
    public static PlanReport byName(String name) {
        PlanReport report = BY_NAME.get(name);
        if (report == null) {
            throw new ConfigException("unknown report '" + name + "'; reports: " + String.join(", ", names()));
        }
        return report;
    }
}
