package io.servesim.experiments.plan;

import io.servesim.experiments.scenario.Scenario;
import io.servesim.schedulers.SchedulerSpec;

import java.util.regex.Pattern;

/**
 * One simulation run of a plan: a stable id that names its output row and seeds its random stream,
 * the step it belongs to, a human label, its replication index and the scenario it runs (whose seed is
 * already the cell's own, see {@link CellSeeds}).
 *
 * @param id          stable id, e.g. {@code step1-multi_bin-k4-g2-n100000-r0}; letters, digits, {@code _ - .}
 * @param step        the step (or study) the row belongs to, e.g. {@code step2_gpu_scaling}
 * @param label       human label, e.g. {@code multi_bin K=4 on 2 GPUs}
 * @param replication replication index, 0 … R−1
 * @param scenario    what is simulated
 */
public record Cell(String id, String step, String label, int replication, Scenario scenario) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public Cell {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cell id must be letters, digits, '_', '-' or '.', got " + id);
        }
        if (replication < 0) {
            throw new IllegalArgumentException("replication must be >= 0, got " + replication);
        }
    }

    /**
     * A cell of a plan seeded with {@link CellSeeds}: the id is {@code <configKey>-r<replication>} and the
     * scenario's seed is derived from the plan seed, its workload and the replication (common random numbers).
     */
    public static Cell seeded(String configKey, String step, String label, int replication, Scenario scenario,
                              long planSeed) {
        String id = configKey + "-r" + replication;
        return new Cell(id, step, label, replication,
                scenario.withSeed(CellSeeds.seed(planSeed, scenario.workload(), replication)));
    }

    /** GPUs the cell uses: tp · pp · replicas, or both pools' GPUs. */
    public int gpus() {
        return scenario.gpus();
    }

    /** The number of bins of a multi-bin cell, or {@code null} for other schedulers. */
    public Integer kBins() {
        return scenario.scheduling().scheduler() instanceof SchedulerSpec.MultiBin multiBin ? multiBin.bins() : null;
    }
}
