package io.servesim.experiments.report;

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
 * {@code gpu_usage}: the per-GPU table {@code <experiment>_gpus.csv}, one row per GPU of every cell
 * ({@link GpuUsage}), so that the imbalance between GPUs — a pipeline's stages, a router's replicas — can be read
 * GPU by GPU. Written atomically with the number format of the results files.
 */
public final class GpuUsageCsv implements PlanReport {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("cell_id", "config_label", "gpu_type", "tp", "pp", "replicas",
            "gpu", "replica", "stage", "tp_rank", "busy_fraction", "compute_busy_s", "communication_busy_s",
            "memory_peak_gib", "memory_mean_gib", "mfu", "mbu");

    @Override
    public String name() {
        return "gpu_usage";
    }

    @Override
    public String description() {
        return "<experiment>_gpus.csv: busy fraction, communication and memory of every GPU of every cell";
    }

    @Override
    public List<Path> write(Input input) {
        return List.of(write(input.folder(), input.experiment() + "_gpus.csv", input.cells()));
    }

    /** Writes the GPUs of {@code cells}, cell by cell in the given order, to {@code fileName}; returns the file. */
    static Path write(PlanFolder folder, String fileName, List<FinishedCell> cells) {
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
