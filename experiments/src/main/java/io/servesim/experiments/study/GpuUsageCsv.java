package io.servesim.experiments.study;

import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.metrics.GpuUsage;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-GPU table of a study: one row per GPU of every cell ({@link GpuUsage}), so that the imbalance between
 * GPUs — a pipeline's stages, a router's replicas — can be read GPU by GPU. Written atomically with the number
 * format of the results files.
 */
public final class GpuUsageCsv {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("cell_id", "config_label", "gpu_type", "tp", "pp", "replicas",
            "gpu", "replica", "stage", "tp_rank", "busy_fraction", "compute_busy_s", "communication_busy_s",
            "memory_peak_gib", "memory_mean_gib", "mfu", "mbu");

    private GpuUsageCsv() {
    }

    /** Writes the GPUs of {@code cells}, cell by cell in the given order, to {@code fileName}; returns the file. */
    public static Path write(PlanFolder folder, String fileName, List<FinishedCell> cells) {
        List<List<String>> rows = new ArrayList<>();
        for (FinishedCell cell : cells) {
            DeploymentConfig d = cell.cell().scenario().deployment();
            for (GpuUsage g : cell.record().gpus()) {
                rows.add(List.of(cell.cell().id(), cell.cell().label(), d.gpu(), ResultRow.text(d.tp()),
                        ResultRow.text(d.pp()), ResultRow.text(d.replicas()), ResultRow.text(g.gpu()),
                        ResultRow.text(g.replica()), ResultRow.text(g.stage()), ResultRow.text(g.tpRank()),
                        ResultRow.text(g.busyFraction()), ResultRow.text(g.computeBusySeconds()),
                        ResultRow.text(g.communicationBusySeconds()), ResultRow.text(g.memoryPeakGiB()),
                        ResultRow.text(g.memoryMeanGiB()), ResultRow.text(g.mfu()), ResultRow.text(g.mbu())));
            }
        }
        Path file = folder.resolve(fileName);
        ResultsCsv.write(file, COLUMNS, rows);
        return file;
    }
}
