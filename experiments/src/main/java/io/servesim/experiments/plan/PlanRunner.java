package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.output.RequestRecordsWriter;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the cells of a plan: each cell once, on {@code threads} worker threads, writing
 * {@code cells/<cell_id>.json} atomically as each finishes (and {@code requests/<cell_id>.csv.gz} before it
 * with per-request records). A cell whose record is already in the folder is not simulated again, so an
 * interrupted plan resumes where it stopped. Results come back in cell order, whatever order the threads
 * finish in; each cell's seed is its own ({@link CellSeeds}), so the rows do not depend on the threads.
 *
 * <p>With {@link CapacitySearches}, the runner also runs the capacity search of each distinct configuration
 * of the cells, on the same threads, once over the runner's life (a later phase reuses the searches of an
 * earlier one), writing {@code capacity/<id>.json} as each finishes and reusing it on resume like a cell record;
 * each finished cell then carries its configuration's capacity.
 *
 * <p>Workloads are compiled once per distinct spec and shared by the cells. Concurrency is also bounded by
 * memory: a cell holds about {@value #BYTES_PER_REQUEST} bytes per request while it runs, and cells start
 * only while the running ones fit in {@value #HEAP_SHARE_PERCENT} % of the heap.
 *
 * <p>A runner may take one {@link Shard} of a run ({@link Mode}): it then simulates only the cells and searches of its
 * shard (and those every shard needs, {@link #runInEveryShard}), writes their records and
 * {@value PlanFolder#SHARD_MANIFEST}, and its caller writes no result file. With {@link Mode#recordsOnly} it simulates
 * nothing: every cell and search must have its record in the folder (as {@code servesim merge} gathers them from the
 * shards), and the files built from them are those of a single run.
 */
public final class PlanRunner {
    /**
     * Which part of the run this runner takes.
     *
     * @param shard       the shard ({@link Shard#WHOLE} for all of it)
     * @param manifest    what the shard's folder says of it; null for the whole run
     * @param recordsOnly simulate nothing: take every result from the folder's records
     */
    public record Mode(Shard shard, ShardManifest manifest, boolean recordsOnly) {
        public static final Mode WHOLE = new Mode(Shard.WHOLE, null, false);

        public Mode {
            if (shard.partial() == (manifest == null)) {
                throw new IllegalArgumentException("a partial shard needs a manifest, the whole run none");
            }
            if (shard.partial() && recordsOnly) {
                throw new IllegalArgumentException("a shard simulates its cells; records only is for the whole run");
            }
        }
    }

    /** Heap a running cell holds per request (request table, queues, metrics arrays), a generous estimate. */
    static final long BYTES_PER_REQUEST = 320;
    /** Heap a running cell holds whatever its size (injector, replicas, buffers). */
    static final long BYTES_PER_CELL = 16L << 20;
    /** Share of the maximum heap that running cells may fill. */
    static final int HEAP_SHARE_PERCENT = 70;
    private static final long MEMORY_UNIT = 1L << 20;

    private final String experiment;
    private final PlanFolder folder;
    private final int threads;
    private final boolean perRequest;
    private final boolean resume;
    private final PlanProgress progress;
    private final Mode mode;
    private final Map<String, Integer> searchPositions = new HashMap<>();
    private boolean manifestWritten;
    private final Map<WorkloadSpec, Workload> workloads = new ConcurrentHashMap<>();
    private final Map<String, CapacityRecord> capacities = new ConcurrentHashMap<>();
    private final AtomicInteger simulatedSearches = new AtomicInteger();
    private final Semaphore memory;
    private final int memoryUnits;

    /**
     * @param experiment the {@code experiment} column of every row
     * @param folder     where cell records (and per-request files) go
     * @param threads    cells run at once, at least 1
     * @param perRequest also write {@code requests/<cell_id>.csv.gz}
     * @param resume     reuse the records already in the folder instead of simulating those cells
     * @param progress   progress display
     */
    public PlanRunner(String experiment, PlanFolder folder, int threads, boolean perRequest, boolean resume,
                      PlanProgress progress) {
        this(experiment, folder, threads, perRequest, resume, progress, Mode.WHOLE);
    }

    /**
     * @param mode the shard this runner takes, or records only (which needs {@code resume})
     */
    public PlanRunner(String experiment, PlanFolder folder, int threads, boolean perRequest, boolean resume,
                      PlanProgress progress, Mode mode) {
        if (mode.recordsOnly() && !resume) {
            throw new IllegalArgumentException("records only reads the records of a resumed folder");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.experiment = experiment;
        this.folder = folder;
        this.threads = threads;
        this.perRequest = perRequest;
        this.resume = resume;
        this.progress = progress;
        this.mode = mode;
        this.memoryUnits = (int) Math.max(1, Runtime.getRuntime().maxMemory() / 100 * HEAP_SHARE_PERCENT / MEMORY_UNIT);
        this.memory = new Semaphore(memoryUnits, true);
    }

    /**
     * Checks what can be checked before any file is written: unique ids, every workload compiles, every
     * deployment resolves, its weights fit and its scheduler and router can be composed on it, and, when resuming,
     * that every record the folder already holds for a cell was made with this run's settings. Throws
     * {@link ConfigException} naming the cell; the mistakes of all cells are reported together.
     */
    public void validate(List<Cell> cells) {
        if (resume) {
            folder.requireShard(mode.shard());
        }
        Set<String> ids = new HashSet<>();
        Map<Object, Boolean> checked = new HashMap<>();
        ConfigException.Collector mistakes = new ConfigException.Collector();
        Set<String> reported = new HashSet<>();
        for (Cell cell : cells) {
            if (!ids.add(cell.id())) {
                throw new IllegalArgumentException("two cells share the id " + cell.id());
            }
            try {
                workload(cell.scenario().workload());
                for (DeploymentConfig hardware : cell.scenario().hardware()) {
                    checked.computeIfAbsent(hardware, key -> {
                        hardware.resolve(hardware.loadCatalog()).memoryFit().orThrow();
                        return true;
                    });
                }
                checked.computeIfAbsent(Arrays.asList(cell.scenario().deployment(), cell.scenario().engine(),
                        cell.scenario().scheduling(), cell.scenario().pools()), key -> {
                            ScenarioRunner.check(cell.scenario());
                            return true;
                        });
                if (resume) {
                    folder.finished(cell, PlanFolder.fingerprint(cell));
                }
            } catch (PlanException e) {
                mistakes.add(e);
            } catch (ConfigException e) {
                if (reported.add(e.getMessage())) {
                    mistakes.add(new ConfigException("cell " + cell.id() + ": " + e.getMessage(), e));
                }
            }
        }
        mistakes.throwIfAny();
    }

    /** The shard this runner takes. */
    public Shard shard() {
        return mode.shard();
    }

    /** Runs (or resumes) {@code cells}; returns them finished, in the given order. */
    public List<FinishedCell> run(List<Cell> cells) {
        return run(cells, null);
    }

    /**
     * Runs (or resumes) {@code cells} and, with {@code capacity}, the capacity search of each of their
     * configurations that this runner has not finished yet; returns the cells finished, in the given order, each
     * with its configuration's capacity.
     */
    public List<FinishedCell> run(List<Cell> cells, CapacitySearches capacity) {
        return run(cells, capacity, false, false);
    }

    /**
     * As {@link #run(List, CapacitySearches)}, but in every shard: for cells whose results the run needs to define
     * other cells (a value a later step derives from them). A shard returns them all, finished.
     */
    public List<FinishedCell> runInEveryShard(List<Cell> cells, CapacitySearches capacity) {
        return run(cells, capacity, false, true);
    }

    /**
     * Runs (or resumes) only the capacity searches of the configurations of {@code cells} that this runner has not
     * finished yet, and returns the search of each of those configurations, by search id (e.g. to set loads
     * relative to capacity before the cells themselves run).
     */
    public Map<String, CapacityRecord> searches(List<Cell> cells, CapacitySearches capacity) {
        run(cells, capacity, true, true);
        Map<String, CapacityRecord> records = new java.util.LinkedHashMap<>();
        for (CapacityCell search : capacity.distinct(cells)) {
            records.put(search.id(), capacities.get(search.id()));
        }
        return records;
    }

    private List<FinishedCell> run(List<Cell> allCells, CapacitySearches capacity, boolean searchesOnly,
                                   boolean everyShard) {
        validate(allCells);
        Shard shard = everyShard ? Shard.WHOLE : mode.shard();
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; !searchesOnly && i < allCells.size(); i++) {
            if (shard.owns(i)) {
                cells.add(allCells.get(i));
            }
        }
        List<CapacityCell> searches = new ArrayList<>();
        for (CapacityCell search : capacity == null ? List.<CapacityCell>of() : capacity.distinct(allCells)) {
            // a search belongs to the shard of its position among the searches the run meets, the first time it does
            int position = searchPositions.computeIfAbsent(search.id(), id -> searchPositions.size());
            if (!capacities.containsKey(search.id()) && shard.owns(position)) {
                searches.add(search);
            }
        }
        if (mode.recordsOnly()) {
            requireRecords(cells, searches);
        }
        beginShard();
        progress.expect(cells, searches.size());
        List<FinishedCell> finished = new ArrayList<>(cells.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "servesim-cell");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<CapacityRecord>> searchFutures = new ArrayList<>(searches.size());
            for (CapacityCell search : searches) {
                searchFutures.add(pool.submit(() -> finish(search)));
            }
            List<Future<FinishedCell>> futures = new ArrayList<>(cells.size());
            for (Cell cell : cells) {
                futures.add(pool.submit(() -> finish(cell)));
            }
            for (Future<CapacityRecord> future : searchFutures) {
                CapacityRecord record = await(future);
                capacities.put(record.searchId(), record);
            }
            for (Future<FinishedCell> future : futures) {
                FinishedCell cell = await(future);
                CapacityRecord search = capacity == null ? null : capacities.get(capacity.of(cell.cell()).id());
                finished.add(search == null ? cell : cell.withCapacity(search));
            }
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
        return finished;
    }

    /**
     * Fails, naming them all, when a cell or search has no record in the folder: a records-only run simulates
     * nothing.
     */
    private void requireRecords(List<Cell> cells, List<CapacityCell> searches) {
        List<String> missing = new ArrayList<>();
        for (Cell cell : cells) {
            if (folder.finished(cell, PlanFolder.fingerprint(cell)).isEmpty()) {
                missing.add(cell.id());
            }
        }
        for (CapacityCell search : searches) {
            if (folder.finished(search, PlanFolder.fingerprint(search)).isEmpty()) {
                missing.add(search.id());
            }
        }
        if (!missing.isEmpty()) {
            throw new PlanException(missing.size() + " cell(s) have no record in " + folder.resolve("") + ": "
                    + String.join(", ", missing) + "; run the shard that owns them to the end (--resume ITS_FOLDER"
                    + " --shard I/N) and give its folder too");
        }
    }

    /** A shard's first run writes its manifest, after every check has passed. */
    private synchronized void beginShard() {
        if (mode.manifest() != null && !manifestWritten) {
            folder.writeShardManifest(mode.manifest());
            manifestWritten = true;
        }
    }

    /** Capacity searches this runner simulated (not taken from records). */
    public int simulatedSearches() {
        return simulatedSearches.get();
    }

    private FinishedCell finish(Cell cell) throws InterruptedException {
        String fingerprint = PlanFolder.fingerprint(cell);
        Optional<CellRecord> existing = resume ? folder.finished(cell, fingerprint) : Optional.empty();
        if (existing.isPresent()) {
            progress.cellFinished(cell, true);
            return new FinishedCell(cell, existing.get(), true);
        }
        int units = memoryUnits(cell.scenario().workload().requests());
        memory.acquire(units);
        CellRecord record;
        try {
            record = simulate(cell, fingerprint);
        } finally {
            memory.release(units);
        }
        folder.writeRecord(record);
        progress.cellFinished(cell, false);
        return new FinishedCell(cell, record, false);
    }

    private CapacityRecord finish(CapacityCell search) throws InterruptedException {
        String fingerprint = PlanFolder.fingerprint(search);
        Optional<CapacityRecord> existing = resume ? folder.finished(search, fingerprint) : Optional.empty();
        if (existing.isPresent()) {
            progress.searchFinished(search, true);
            return existing.get();
        }
        int units = memoryUnits(search.options().requests());
        memory.acquire(units);
        CapacityRecord record;
        try {
            long start = System.nanoTime();
            CapacityResult result = CapacitySearch.find(search.scenario(), search.options());
            record = CapacityRecord.of(search, fingerprint, result, (System.nanoTime() - start) / 1e9);
        } finally {
            memory.release(units);
        }
        folder.writeRecord(record);
        simulatedSearches.incrementAndGet();
        progress.searchFinished(search, false);
        return record;
    }

    private CellRecord simulate(Cell cell, String fingerprint) {
        long start = System.nanoTime();
        ScenarioRun run = ScenarioRunner.run(cell.scenario(), workload(cell.scenario().workload()));
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        if (perRequest) {
            RequestRecordsWriter.write(folder.requestsFile(cell.id()), run.result().requests(), run.result().profiles());
        }
        ResultRow row = ResultRow.of(experiment, cell, run.metrics());
        CellTiming timing = new CellTiming(wallSeconds, run.metrics().arrived(), run.metrics().events(),
                run.metrics().iterations());
        return new CellRecord(cell.id(), fingerprint, row.values(), timing, run.metrics().gpus());
    }

    private int memoryUnits(Long requests) {
        long bytes = BYTES_PER_CELL + BYTES_PER_REQUEST * (requests == null ? 0 : requests);
        return (int) Math.min(memoryUnits, Math.max(1, bytes / MEMORY_UNIT));
    }

    private Workload workload(WorkloadSpec spec) {
        return workloads.computeIfAbsent(spec, Workload::compile);
    }

    private static <T> T await(Future<T> future) {
        return await(future, "a cell or a capacity search");
    }

    /** The result of {@code future}; its failure rethrown as it was thrown (a checked one wrapped). */
    public static <T> T await(Future<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
