package io.servesim.experiments.report;

import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one configuration (its cells' ids without the {@code -r<replication>} suffix) averaged over
 * replications, for the tables studies print; the analysis adds confidence intervals.
 *
 * @param configKey the cell id without the replication suffix
 * @param label     the configuration's label
 * @param scenario  the scenario of its first replication (all but the seed is the same in each)
 * @param rows      its rows, one per replication
 */
public record ConfigurationMeans(String configKey, String label, Scenario scenario, List<ResultRow> rows) {

    /** Groups finished cells by configuration, in the order of their first cell. */
    public static List<ConfigurationMeans> of(List<FinishedCell> cells) {
        Map<String, List<FinishedCell>> byKey = new LinkedHashMap<>();
        for (FinishedCell cell : cells) {
            byKey.computeIfAbsent(cell.cell().id().replaceFirst("-r\\d+$", ""), k -> new ArrayList<>()).add(cell);
        }
        List<ConfigurationMeans> configurations = new ArrayList<>();
        byKey.forEach((key, group) -> configurations.add(new ConfigurationMeans(key, group.get(0).cell().label(),
                group.get(0).cell().scenario(), group.stream().map(FinishedCell::row).toList())));
        return configurations;
    }

    /** The mean of a numeric column over replications (NaN values are left out; NaN when none is left). */
    public double mean(String column) {
        double sum = 0;
        int n = 0;
        for (ResultRow row : rows) {
            double value = row.number(column);
            if (!Double.isNaN(value)) {
                sum += value;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
