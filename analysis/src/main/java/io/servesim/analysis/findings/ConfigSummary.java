package io.servesim.analysis.findings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration of one step (the rows of a {@code cell_id} without its {@code -r<rep>}
 * suffix), with every metric aggregated over its replications. A configuration counts as
 * saturated when any of its replications is.
 */
public record ConfigSummary(
        String step,
        String configKey,
        String label,
        String scheduler,
        int gpus,
        Integer kBins,
        long requests,
        int replications,
        boolean saturated,
        int saturatedReplications,
        Map<String, Estimate> metrics,
        @JsonIgnore List<Integer> replicationIds,
        @JsonIgnore Map<String, double[]> replicationValues) {

    public ConfigSummary {
        // insertion order (the aggregator's column order), not Map.copyOf: its iteration order changes from one
        // JVM to the next, and analysis.json must be the same bytes for the same rows
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        replicationIds = List.copyOf(replicationIds);
        replicationValues = Collections.unmodifiableMap(new LinkedHashMap<>(replicationValues));
    }

    /**
     * The value of a metric in the replication {@code replication} (its {@code replication} column), or NaN when
     * this configuration has no such replication or the value is empty. Paired comparisons match replications by
     * this index: replication r of every configuration of a plan sees the same requests (common random numbers).
     */
    public double valueIn(int replication, String column) {
        int index = replicationIds.indexOf(replication);
        double[] values = replicationValues.get(column);
        return index < 0 || values == null ? Double.NaN : values[index];
    }

    /** The estimate of a metric column, or {@code null} when the column is empty for this configuration. */
    public Estimate metric(String column) {
        return metrics.get(column);
    }

    /** The mean of a metric column, or NaN when the column is empty for this configuration. */
    public double mean(String column) {
        Estimate estimate = metrics.get(column);
        return estimate == null ? Double.NaN : estimate.mean();
    }

    /**
     * How to name the configurations of one list unambiguously: the label, followed by the request
     * volume when the list holds several volumes (step 1 repeats each label at every volume).
     */
    public static Function<ConfigSummary, String> distinctNames(List<ConfigSummary> configs) {
        boolean severalVolumes = configs.stream().map(ConfigSummary::requests).distinct().count() > 1;
        return c -> severalVolumes ? c.label() + " at " + String.format(Locale.ROOT, "%,d", c.requests()) + " requests"
                : c.label();
    }

    /**
     * Name of the line this configuration belongs to when requests vary: its label (a configuration's label names
     * everything but its request count, e.g. scheduler, K, GPUs and load).
     */
    public String seriesAcrossRequests() {
        return label;
    }

    /** Name of the line this configuration belongs to when GPUs vary: scheduler, K and requests. */
    public String seriesAcrossGpus() {
        return scheduler + kText() + ", " + String.format(Locale.ROOT, "%,d", requests) + " requests";
    }

    /**
     * Name of the line this configuration belongs to when K varies: its label without K (so everything else that
     * tells configurations apart, e.g. the batching inside the bins, stays), and its request count.
     */
    public String seriesAcrossK() {
        return label.replaceAll("\\s*\\bK=\\d+", "") + ", " + String.format(Locale.ROOT, "%,d", requests) + " requests";
    }

    private String kText() {
        return kBins == null ? "" : " K=" + kBins;
    }
}
