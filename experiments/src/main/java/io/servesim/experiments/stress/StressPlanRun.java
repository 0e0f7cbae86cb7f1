package io.servesim.experiments.stress;

import io.servesim.experiments.plan.CapacityRecord;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.CellSeeds;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanException;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the stress plan into a folder: steps 1 and 2 together (their cells do not depend on each other), then
 * the best GPU count (given, detected from step 2, or read from step 2's file of an earlier run), then step 3.
 * After each phase the step files, the all-results file and the timings are written from the cell records,
 * in plan order, so an interrupted and resumed plan ends with the same bytes as an uninterrupted one. With
 * {@code capacity} in the spec, each phase also runs the capacity search of every configuration of its cells
 * that an earlier phase did not, and the rows end with the capacity columns of their configuration.
 */
public final class StressPlanRun {
    /** The {@code experiment} column. */
    public static final String EXPERIMENT = "stress";

    /**
     * What the run did.
     *
     * @param cells              the cells, in plan order, with their capacity when measured
     * @param bestGpuCount       GPU count of step 3 (null without step 3)
     * @param bestGpuSource      where it came from
     * @param files              the tables written
     * @param capacitySearches   the distinct capacity searches of the cells (0 without --capacity)
     * @param simulatedSearches  of those, the ones this run simulated (not taken from records)
     */
    public record Outcome(List<FinishedCell> cells, Integer bestGpuCount, String bestGpuSource, List<Path> files,
                          int capacitySearches, int simulatedSearches) {
        /** Cells simulated by this run (not taken from records). */
        public long simulatedCells() {
            return cells.stream().filter(c -> !c.fromRecord()).count();
        }
    }

    private final StressPlan plan;
    private final Set<StressStep> steps;
    private final PlanFolder folder;
    private final PlanRunner runner;
    private final Map<String, Object> settings;

    /**
     * @param plan     the cells
     * @param steps    the steps to run
     * @param folder   the output folder
     * @param runner   the runner (threads, resume, progress)
     * @param settings the knobs of the run for config.json (threads, per-request, the template scenario, …)
     */
    public StressPlanRun(StressPlan plan, Set<StressStep> steps, PlanFolder folder, PlanRunner runner,
                         Map<String, Object> settings) {
        this.plan = plan;
        this.steps = EnumSet.copyOf(steps);
        this.folder = folder;
        this.runner = runner;
        this.settings = new LinkedHashMap<>(settings);
    }

    /** The cells of steps 1 and 2 that this run includes. */
    public List<Cell> firstPhase() {
        List<Cell> cells = new ArrayList<>();
        if (steps.contains(StressStep.REQUEST_SCALING)) {
            cells.addAll(plan.step1());
        }
        if (steps.contains(StressStep.GPU_SCALING)) {
            cells.addAll(plan.step2());
        }
        return cells;
    }

    /** Cells this run will finish in all. */
    public int cellCount() {
        int step3 = steps.contains(StressStep.KBINS_SENSITIVITY)
                ? plan.spec().kLadder().size() * plan.spec().replications() : 0;
        return firstPhase().size() + step3;
    }

    /**
     * Checks everything that can fail before a file is written: the cells' configurations, their capacity
     * searches, for step 3 without step 2 and without a given GPU count that step 2's file is in the folder, and
     * that the step files this run keeps from an earlier run have the capacity columns if and only if this run has.
     */
    public void validate() {
        List<Cell> cells = new ArrayList<>(firstPhase());
        if (steps.contains(StressStep.KBINS_SENSITIVITY)) {
            List<Integer> ladder = plan.spec().gpuLadder();
            cells.addAll(plan.step3(plan.spec().bestGpuCount() != null ? plan.spec().bestGpuCount()
                    : ladder.get(ladder.size() - 1)));
            if (plan.spec().bestGpuCount() == null && !steps.contains(StressStep.GPU_SCALING)
                    && !Files.isRegularFile(step2File())) {
                throw new PlanException("step 3 needs the best GPU count: give --best-gpu-count N, or run step 2 first"
                        + " (" + step2File() + " does not exist; pass the folder of that run with --resume or --out)");
            }
        }
        runner.validate(cells);
        CapacitySearches capacity = capacitySearches();
        if (capacity != null) {
            capacity.distinct(cells);
        }
        for (StressStep step : EnumSet.complementOf(EnumSet.copyOf(steps))) {
            Path file = folder.resolve(step.fileName());
            if (Files.isRegularFile(file)) {
                List<ResultRow> rows = ResultsCsv.read(file);
                boolean hasCapacity = !rows.isEmpty() && rows.get(0).columns().contains(CapacityRecord.COLUMNS.get(0));
                if (hasCapacity != (capacity != null)) {
                    throw new PlanException(file + " was written " + (hasCapacity ? "with" : "without")
                            + " --capacity, this run is " + (capacity != null ? "with" : "without")
                            + " it; the all-results file cannot combine them: run with the same --capacity setting");
                }
            }
        }
    }

    /**
     * Runs the plan. The folder holds {@value PlanFolder#INCOMPLETE_MARKER} from the start; the caller removes it
     * with {@link PlanFolder#markComplete()} once its own files (the analysis) are written too.
     */
    public Outcome execute() {
        validate();
        folder.markIncomplete("This folder is not finished: the stress plan writing it was interrupted, failed or is"
                + " still running.\nThe records in cells/ (and capacity/) are complete; any result table or analysis"
                + " here is partial or from an earlier run.\nTo finish it, run the same command with --resume "
                + folder.resolve("").toAbsolutePath().normalize() + " instead of --out (see docs/stress-plan.md).");
        writeConfig(null, null);
        CapacitySearches capacity = capacitySearches();
        List<FinishedCell> finished = new ArrayList<>(runner.run(firstPhase(), capacity));
        // With --step3-only the first phase is empty: there is nothing to tabulate before step 3.
        List<Path> files = finished.isEmpty() ? List.of() : writeTables(finished);
        Integer best = null;
        String source = null;
        if (steps.contains(StressStep.KBINS_SENSITIVITY)) {
            if (plan.spec().bestGpuCount() != null) {
                best = plan.spec().bestGpuCount();
                source = "given (best_gpu_count)";
            } else {
                boolean here = steps.contains(StressStep.GPU_SCALING);
                BestGpuCount detected = BestGpuCount.of(here ? finished.stream().map(FinishedCell::row).toList()
                        : ResultsCsv.read(step2File()));
                best = detected.gpus();
                source = "detected from " + (here ? "step 2 of this run" : step2File().getFileName()) + ": "
                        + detected.describe();
            }
            writeConfig(best, source);
            finished.addAll(runner.run(plan.step3(best), capacity));
            files = writeTables(finished);
        }
        return new Outcome(finished, best, source, files, searchesOf(finished).size(), runner.simulatedSearches());
    }

    private CapacitySearches capacitySearches() {
        CapacitySpec spec = plan.spec().capacity();
        return spec == null ? null : new CapacitySearches(spec, plan.spec().seed());
    }

    /** The distinct capacity searches of {@code finished}, in the order of their first cell. */
    private static List<CapacityRecord> searchesOf(List<FinishedCell> finished) {
        Map<String, CapacityRecord> searches = new LinkedHashMap<>();
        for (FinishedCell cell : finished) {
            if (cell.capacity() != null) {
                searches.putIfAbsent(cell.capacity().searchId(), cell.capacity());
            }
        }
        return List.copyOf(searches.values());
    }

    private Path step2File() {
        return folder.resolve(StressStep.GPU_SCALING.fileName());
    }

    /** Writes the files of the steps run, the all-results file over every step file present, and the timings. */
    private List<Path> writeTables(List<FinishedCell> finished) {
        List<Path> files = new ArrayList<>();
        for (StressStep step : steps) {
            List<FinishedCell> ofStep = finished.stream().filter(c -> c.cell().step().equals(step.stepName())).toList();
            if (!ofStep.isEmpty()) {
                files.add(folder.writeResults(step.fileName(), ofStep));
            }
        }
        List<String> stepFiles = EnumSet.allOf(StressStep.class).stream().map(StressStep::fileName).toList();
        List<ResultRow> all = folder.combineResults(StressStep.ALL_RESULTS_FILE, stepFiles);
        folder.writeTimings(StressStep.TIMINGS_FILE, all, searchesOf(finished));
        files.add(folder.resolve(StressStep.ALL_RESULTS_FILE));
        files.add(folder.resolve(StressStep.TIMINGS_FILE));
        return files;
    }

    private void writeConfig(Integer best, String source) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", EXPERIMENT);
        config.put("steps", steps.stream().map(StressStep::number).toList());
        config.put("plan", plan.spec());
        Map<String, Object> axes = new LinkedHashMap<>();
        axes.put("step1_requests", plan.spec().requestLadder());
        axes.put("step1_configurations", plan.spec().step1());
        axes.put("requests_steps2_3", plan.spec().largestRequests());
        axes.put("step2_gpus", plan.spec().gpuLadder());
        axes.put("step3_k_bins", plan.spec().kLadder());
        config.put("axes", axes);
        Map<String, Object> bestGpu = new LinkedHashMap<>();
        bestGpu.put("gpus", best);
        bestGpu.put("source", source);
        bestGpu.put("rule", BestGpuCount.RULE);
        config.put("best_gpu_count", bestGpu);
        config.put("cell_seed", "seed of a cell = " + CellSeeds.class.getSimpleName()
                + ".seed(plan.seed, workload, replication): SplittableRandom(plan.seed XOR fnv1a64(workload JSON + \"-r\""
                + " + replication)).nextLong(); cells on the same workload share their requests (common random numbers)");
        if (plan.spec().capacity() != null) {
            config.put("capacity_searches", "one search per distinct configuration (scheduler and its parameters, K,"
                    + " GPUs, tp/pp, router) and replication, shared by the cells of that configuration whatever their"
                    + " request count; probes of plan.capacity.probe_seconds of arrivals (or plan.capacity.requests"
                    + " requests); seed of a search = " + CellSeeds.class.getSimpleName()
                    + ".seed(plan.seed, probe workload, replication)");
        }
        config.putAll(settings);
        folder.writeConfig(config);
    }
}
