package io.servesim.experiments.stress;

import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.CellSeeds;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanException;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
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
 * in plan order, so an interrupted and resumed plan ends with the same bytes as an uninterrupted one.
 */
public final class StressPlanRun {
    /** The {@code experiment} column. */
    public static final String EXPERIMENT = "stress";

    /** What the run did. */
    public record Outcome(List<FinishedCell> cells, Integer bestGpuCount, String bestGpuSource, List<Path> files) {
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
     * Checks everything that can fail before a file is written: the cells' configurations, and for step 3
     * without step 2 and without a given GPU count, that step 2's file is in the folder.
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
    }

    public Outcome execute() {
        validate();
        writeConfig(null, null);
        List<FinishedCell> finished = new ArrayList<>(runner.run(firstPhase()));
        List<Path> files = writeTables(finished);
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
            finished.addAll(runner.run(plan.step3(best)));
            files = writeTables(finished);
        }
        return new Outcome(finished, best, source, files);
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
        folder.writeTimings(StressStep.TIMINGS_FILE, all);
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
                + ".seed(plan.seed, cell_id): SplittableRandom(plan.seed XOR fnv1a64(cell_id)).nextLong()");
        config.putAll(settings);
        folder.writeConfig(config);
    }
}
