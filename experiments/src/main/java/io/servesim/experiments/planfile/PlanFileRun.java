package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a {@link PlanFile} into a folder, in phases: every step whose derived values are known runs in one phase
 * (its cells in plan order, on the runner's threads); a step that derives a value from another runs after it. A
 * step whose load is relative to capacity first runs the capacity search of each of its configurations. After each
 * phase the step files, the all-results file and the timings are written from the cell records, in plan order,
 * so an interrupted and resumed plan ends with the same bytes as an uninterrupted one.
 *
 * <p>A subset of the steps can run: a derived value then comes from the step file of an earlier run in the folder.
 */
public final class PlanFileRun {
    /**
     * What the run did.
     *
     * @param cells             the cells, in plan order, with their capacity when measured
     * @param derived           each derived value (rule and step) → how it was found
     * @param files             the tables written
     * @param capacitySearches  the distinct capacity searches of the cells (0 without capacity)
     * @param simulatedSearches of those, the ones this run simulated (not taken from records)
     */
    public record Outcome(List<FinishedCell> cells, Map<String, String> derived, List<Path> files,
                          int capacitySearches, int simulatedSearches) {
        /** Cells simulated by this run (not taken from records). */
        public long simulatedCells() {
            return cells.stream().filter(c -> !c.fromRecord()).count();
        }
    }

    private final PlanFile plan;
    private final CellExpansion expansion;
    private final List<StepSpec> steps;
    private final PlanFolder folder;
    private final PlanRunner runner;
    private final Map<String, Object> settings;
    private final Map<String, List<ResultRow>> rowsByStep = new HashMap<>();
    private final Map<String, String> derived = new LinkedHashMap<>();

    /**
     * @param plan     the plan
     * @param only     names of the steps to run (empty: all)
     * @param folder   the output folder
     * @param runner   the runner (threads, resume, progress)
     * @param settings knobs of the run for config.json (threads, per-request, the command, …)
     */
    public PlanFileRun(PlanFile plan, Set<String> only, PlanFolder folder, PlanRunner runner, Map<String, Object> settings) {
        for (String name : only) {
            if (plan.step(name) == null) {
                throw new ConfigException("the plan " + plan.name() + " has no step '" + name + "'; its steps: "
                        + plan.steps().stream().map(StepSpec::name).toList());
            }
        }
        this.plan = plan;
        this.expansion = new CellExpansion(plan);
        this.steps = plan.steps().stream().filter(s -> only.isEmpty() || only.contains(s.name())).toList();
        this.folder = folder;
        this.runner = runner;
        this.settings = new LinkedHashMap<>(settings);
    }

    public CellExpansion expansion() {
        return expansion;
    }

    /**
     * Every cell of the run with stand-ins for what is known only while it runs (a derived value: the largest GPU
     * count of its step; a capacity: 1 req/s), in plan order: what is checked before anything is written.
     */
    public List<Cell> provisionalCells() {
        Map<String, List<Cell>> cellsByStep = new HashMap<>();
        List<Cell> all = new ArrayList<>();
        for (StepSpec step : plan.steps()) {
            Function<ValueSource.Derived, JsonNode> values = d -> {
                Path file = folder.resolve(plan.stepFile(d.fromStep()));
                if (!runs(d.fromStep()) && Files.isRegularFile(file)) {
                    return d.rule().apply(ResultsCsv.read(file));
                }
                return d.rule().provisional(cellsByStep.getOrDefault(d.fromStep(), List.of()).stream()
                        .map(Cell::gpus).toList());
            };
            List<Cell> cells = expansion.cells(step, values, configuration -> 1.0);
            cellsByStep.put(step.name(), cells);
            if (runs(step.name())) {
                all.addAll(cells);
            }
        }
        return all;
    }

    /** Cells this run will finish in all. */
    public int cellCount() {
        return provisionalCells().size();
    }

    /**
     * Checks everything that can fail before a file is written: every cell's configuration, the capacity searches,
     * that a derived value of a step not run here can be read from the folder, and that step files kept from an
     * earlier run have the capacity columns if and only if this run has.
     */
    public void validate() {
        for (StepSpec step : steps) {
            for (String from : step.dependsOn()) {
                Path file = folder.resolve(plan.stepFile(from));
                if (!runs(from) && !Files.isRegularFile(file)) {
                    throw new PlanException("step " + step.name() + " derives a value from step " + from + ", which this"
                            + " run does not include and whose file " + file + " does not exist: run " + from
                            + " too, give the value with a flag (servesim stress: --best-gpu-count N), or pass the folder of the earlier run with"
                            + " --resume");
                }
            }
        }
        List<Cell> cells = provisionalCells();
        if (cells.isEmpty() && !expansion.notRun().isEmpty()) {
            throw new ConfigException("no configuration of the plan " + plan.name() + " can run: "
                    + String.join("; ", expansion.notRun()));
        }
        runner.validate(cells);
        for (StepSpec step : steps) {
            if (plan.measuresCapacity(step)) {
                searchesOf(step).distinct(cells.stream().filter(c -> c.step().equals(step.name())).toList());
            }
        }
        for (StepSpec step : plan.steps()) {
            Path file = folder.resolve(plan.stepFile(step.name()));
            if (!runs(step.name()) && Files.isRegularFile(file)) {
                List<ResultRow> rows = ResultsCsv.read(file);
                boolean hasCapacity = !rows.isEmpty() && rows.get(0).columns().contains(CapacityRecord.COLUMNS.get(0));
                if (hasCapacity != plan.needsCapacity()) {
                    throw new PlanException(file + " was written " + (hasCapacity ? "with" : "without")
                            + " capacity searches, this run is " + (plan.needsCapacity() ? "with" : "without")
                            + " them; the all-results file cannot combine them: run with the same capacity setting");
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
        folder.markIncomplete("This folder is not finished: the plan writing it was interrupted, failed or is still"
                + " running.\nThe records in cells/ (and capacity/) are complete; any result table or analysis here is"
                + " partial or from an earlier run.\nTo finish it, run the same command with --resume "
                + folder.resolve("").toAbsolutePath().normalize() + " instead of --out (see docs/experiments.md).");
        writeConfig();
        List<FinishedCell> finished = new ArrayList<>();
        List<Path> files = List.of();
        Set<String> done = new LinkedHashSet<>();
        while (done.size() < steps.size()) {
            List<StepSpec> phase = steps.stream().filter(s -> !done.contains(s.name())
                    && s.dependsOn().stream().allMatch(from -> !runs(from) || done.contains(from))).toList();
            List<Cell> measured = new ArrayList<>();
            List<Cell> unmeasured = new ArrayList<>();
            List<FinishedCell> ran = new ArrayList<>();
            // a step another derives a value from runs whole in every shard: each shard expands its own cells with it
            List<Cell> measuredEverywhere = new ArrayList<>();
            List<Cell> unmeasuredEverywhere = new ArrayList<>();
            for (StepSpec step : phase) {
                LoadSpec load = plan.effectiveLoad(step);
                boolean everyShard = derivedFrom(step);
                if (load != null && load.relativeToCapacity()) {
                    ran.addAll(everyShard ? runner.runInEveryShard(cellsOf(step), searchesOf(step))
                            : runner.run(cellsOf(step), searchesOf(step)));
                } else if (plan.measuresCapacity(step)) {
                    (everyShard ? measuredEverywhere : measured).addAll(cellsOf(step));
                } else {
                    (everyShard ? unmeasuredEverywhere : unmeasured).addAll(cellsOf(step));
                }
            }
            CapacitySearches capacity = new CapacitySearches(capacitySpec(), plan.seed(),
                    plan.capacityStart());
            ran.addAll(runner.run(measured, capacity));
            ran.addAll(runner.runInEveryShard(measuredEverywhere, capacity));
            runner.run(unmeasured, null).forEach(c -> ran.add(plan.needsCapacity() ? c.withoutCapacity() : c));
            runner.runInEveryShard(unmeasuredEverywhere, null)
                    .forEach(c -> ran.add(plan.needsCapacity() ? c.withoutCapacity() : c));
            ran.sort(java.util.Comparator.comparingInt(c -> stepIndex(c.cell().step())));
            for (StepSpec step : phase) {
                rowsByStep.put(step.name(), ran.stream().filter(c -> c.cell().step().equals(step.name()))
                        .map(FinishedCell::row).toList());
                done.add(step.name());
            }
            finished.addAll(ran);
            finished.sort(java.util.Comparator.comparingInt(c -> stepIndex(c.cell().step())));
            if (!runner.shard().partial()) {   // a shard leaves records only; servesim merge writes the tables
                files = writeTables(finished);
            }
            writeConfig();
        }
        return new Outcome(finished, derived, files, searchesOf(finished).size(), runner.simulatedSearches());
    }

    /**
     * Whether a step of this run derives a value from {@code step}: then every shard runs all of {@code step}'s
     * cells, since each needs the value to expand its own.
     */
    private boolean derivedFrom(StepSpec step) {
        return steps.stream().anyMatch(s -> s.dependsOn().contains(step.name()));
    }

    private int stepIndex(String stepName) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i).name().equals(stepName)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The cells of a step, its derived values and (for a load relative to capacity) its capacities known. */
    private List<Cell> cellsOf(StepSpec step) {
        Function<ValueSource.Derived, JsonNode> values = d -> {
            List<ResultRow> rows = rowsByStep.computeIfAbsent(d.fromStep(),
                    s -> ResultsCsv.read(folder.resolve(plan.stepFile(s))));
            derived.put(d.rule().key() + " from " + d.fromStep(), d.rule().describe(rows)
                    + (runs(d.fromStep()) ? "" : " (read from " + plan.stepFile(d.fromStep()) + ")"));
            return d.rule().apply(rows);
        };
        LoadSpec load = plan.effectiveLoad(step);
        if (load == null || !load.relativeToCapacity()) {
            return expansion.cells(step, values, configuration -> {
                throw new IllegalStateException("no capacity is needed for a load that is not relative to capacity");
            });
        }
        CapacitySearches capacity = searchesOf(step);
        List<Cell> probes = expansion.configurationCells(step, values);
        Map<String, CapacityRecord> records = runner.searches(probes, capacity);
        Map<String, Double> capacityByConfiguration = new HashMap<>();
        for (Cell probe : probes) {
            String key = probe.id().replaceFirst("-r\\d+$", "");
            double rps = Double.parseDouble(emptyAsNaN(records.get(capacity.of(probe).id()).columns()
                    .get(CapacityRecord.COLUMNS.get(0))));
            capacityByConfiguration.merge(key, rps, Double::sum);
        }
        int replications = step.replications() != null ? step.replications() : plan.replications();
        return expansion.cells(step, values, configuration -> {
            double mean = capacityByConfiguration.get(configuration.key()) / replications;
            if (!(mean > 0)) {
                throw new PlanException("step " + step.name() + ", " + configuration.key() + ": the capacity search"
                        + " found no rate that meets the SLA, so a load relative to capacity is undefined; lower"
                        + " capacity.target, or give this step an absolute load (load: {rps: [...]})");
            }
            return mean;
        });
    }

    private static String emptyAsNaN(String text) {
        return text == null || text.isEmpty() ? "NaN" : text;
    }

    /**
     * The capacity searches of a step: the plan's (or the defaults when only a relative load needs them); with a
     * load relative to capacity every search starts at the configuration's base load, so its loads share it.
     */
    private CapacitySearches searchesOf(StepSpec step) {
        LoadSpec load = plan.effectiveLoad(step);
        if (load != null && load.relativeToCapacity()) {
            return new CapacitySearches(capacitySpec(), plan.seed(), baseRpsScale());
        }
        return new CapacitySearches(capacitySpec(), plan.seed(), plan.capacityStart());
    }

    private CapacitySpec capacitySpec() {
        return plan.capacity() != null ? plan.capacity() : CapacitySpec.defaults();
    }

    private double baseRpsScale() {
        JsonNode scale = plan.base().path("workload").path("rps_scale");
        return scale.isNumber() ? scale.asDouble() : 1.0;
    }

    private boolean runs(String stepName) {
        return steps.stream().anyMatch(s -> s.name().equals(stepName));
    }

    /** The distinct capacity searches of {@code finished}, in the order of their first cell. */
    private static List<CapacityRecord> searchesOf(List<FinishedCell> finished) {
        Map<String, CapacityRecord> searches = new LinkedHashMap<>();
        for (FinishedCell cell : finished) {
            if (cell.capacity() != null && cell.capacity() != CapacityRecord.NOT_MEASURED) {
                searches.putIfAbsent(cell.capacity().searchId(), cell.capacity());
            }
        }
        return List.copyOf(searches.values());
    }

    /** Writes the files of the steps run, the all-results file over every step file present, and the timings. */
    private List<Path> writeTables(List<FinishedCell> finished) {
        List<Path> files = new ArrayList<>();
        for (StepSpec step : steps) {
            List<FinishedCell> ofStep = finished.stream().filter(c -> c.cell().step().equals(step.name())).toList();
            if (!ofStep.isEmpty()) {
                files.add(folder.writeResults(plan.stepFile(step.name()), ofStep));
            }
        }
        List<ResultRow> all;
        if (plan.allResultsFile() == null) {   // one step: its file holds every row
            all = finished.stream().map(FinishedCell::row).toList();
        } else {
            List<String> stepFiles = plan.steps().stream().map(s -> plan.stepFile(s.name())).toList();
            all = folder.combineResults(plan.allResultsFile(), stepFiles);
            files.add(folder.resolve(plan.allResultsFile()));
        }
        folder.writeTimings(plan.timingsFile(), all, searchesOf(finished));
        files.add(folder.resolve(plan.timingsFile()));
        return files;
    }

    private void writeConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", plan.experiment());
        config.put("plan_name", plan.name());
        config.put("steps", steps.stream().map(StepSpec::name).toList());
        config.put("plan", PlanFileWriter.tree(plan));
        config.put("derived", derived);
        if (!expansion.notRun().isEmpty()) {
            config.put("not_run", expansion.notRun());
        }
        config.put("cell_seed", "seed of a cell = " + CellSeeds.class.getSimpleName()
                + ".seed(plan.seed, workload, replication): SplittableRandom(plan.seed XOR fnv1a64(workload JSON + \"-r\""
                + " + replication)).nextLong(); cells on the same workload share their requests (common random numbers)");
        if (plan.needsCapacity()) {
            config.put("capacity_searches", "one search per distinct configuration (scheduler and its parameters, K,"
                    + " GPUs, tp/pp, router) and replication, shared by the cells of that configuration whatever their"
                    + " request count (and, for a load relative to capacity, whatever their load); seed of a search = "
                    + CellSeeds.class.getSimpleName() + ".seed(plan.seed, probe workload, replication)");
        }
        config.putAll(settings);
        folder.writeConfig(config);
    }
}
