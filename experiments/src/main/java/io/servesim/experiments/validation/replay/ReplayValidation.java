package io.servesim.experiments.validation.replay;

import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.experiments.plan.PlanRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code servesim validate --against FILE}: reads measured benchmark rows, keeps those the filters select, replays
 * every expressible one, and writes the report into a fresh folder as one {@link AtomicFiles.Batch}: its files land
 * only when every one was written, so a failure leaves nothing half-written.
 *
 * @param against     the measured file
 * @param backend     keep only rows of this backend (any case); null for all
 * @param model       keep only rows of this model, as the file or the catalog names it (any case); null for all
 * @param system      keep only rows of this GPU, as the file or the catalog names it (any case); null for all
 * @param catalogFile an optional catalog overlay (e.g. from {@code servesim calibrate}); null for the bundled one
 * @param seed        the root seed of the runs
 * @param clientStart how closed-loop clients start
 * @param threads     simulations at once
 * @param frontEnds   the front-end time of each campaign ({@link FrontEnds#NONE}: none)
 * @param fitted      the rows the catalog's coefficients were fitted on: reported apart, kept out of the error groups
 *                    (with the rows that fitted {@code frontEnds})
 */
public record ReplayValidation(Path against, String backend, String model, String system, Path catalogFile, long seed,
                               ReplayPlanner.ClientStart clientStart, int threads, FrontEnds frontEnds,
                               Predicate<BenchmarkRow> fitted) {

    /** What a run did: the report and the files written. */
    public record Outcome(ReplayReport report, List<Path> files, double wallSeconds) {
    }

    /** Checks that {@code out} can take the report: it must not exist, or be an empty folder. */
    public static void requireFresh(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new ConfigException("--out " + out + " is a file; validate --against writes into a fresh folder");
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new ConfigException("--out " + out + " is not empty; validate --against writes into a fresh folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + out, e);
        }
    }

    /** Reads, replays and writes into {@code out}; prints the summary to {@code console}. */
    public Outcome run(Path out, PrintWriter console) {
        requireFresh(out);
        // the measured file is read while the catalog loads: neither needs the other
        CompletableFuture<BenchmarkFile> reading = CompletableFuture.supplyAsync(() -> BenchmarkFile.read(against));
        Catalog catalog = Catalog.load(Optional.ofNullable(catalogFile));
        BenchmarkFile file = PlanRunner.await(reading, "the measured file");
        List<BenchmarkRow> selected = new ArrayList<>();
        for (BenchmarkRow row : file.rows()) {
            if (selects(row)) {
                selected.add(row);
            }
        }
        long start = System.nanoTime();
        List<RowResult> results = new BenchmarkReplay(catalog, seed, threads, catalogFile, clientStart, frontEnds)
                .run(selected);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        ReplayReport report = new ReplayReport(file, results, file.rows().size() - selected.size(),
                fitted.or(frontEnds.fitRows()));
        List<Path> written = write(out, report);
        report.print(console);
        console.printf(Locale.ROOT, "  time       %.2f s for %,d simulations on %d threads%n", wallSeconds,
                report.replayedCount(), threads);
        console.println("  wrote      " + String.join(", ", written.stream().map(Path::toString).toList()));
        return new Outcome(report, written, wallSeconds);
    }

    /** The filters as given (for the summary). */
    public Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        if (backend != null) {
            filters.put("backend", backend);
        }
        if (model != null) {
            filters.put("model", model);
        }
        if (system != null) {
            filters.put("system", system);
        }
        return filters;
    }

    boolean selects(BenchmarkRow row) {
        return (backend == null || row.backend().equalsIgnoreCase(backend))
                && (model == null || row.model().equalsIgnoreCase(model)
                    || CatalogNames.model(row.model()).equalsIgnoreCase(model))
                && (system == null || row.system().equalsIgnoreCase(system)
                    || CatalogNames.gpu(row.system()).equalsIgnoreCase(system));
    }

    private List<Path> write(Path out, ReplayReport report) {
        try (AtomicFiles.Batch files = AtomicFiles.batch()) {
            List<Path> written = report.write(files, out, filters(), seed, clientStart, frontEnds.source());
            files.commit();
            return written;
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write the report into " + out, e.getCause());
        }
    }
}
