package io.servesim.analysis.folders;

import io.servesim.analysis.AnalysisException;
import io.servesim.analysis.ResultsSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a results folder holds, from its files, which decides what the analysis can draw from it. */
public enum FolderKind {
    /** Result CSVs, one row per cell ({@code stress}, {@code plan run}, {@code study}). */
    RESULTS,
    /** One simulation ({@code servesim run}): {@code summary.json} and {@code requests.csv}. */
    RUN,
    /** One capacity search ({@code servesim capacity}): {@code capacity.json} and {@code capacity_probes.csv}. */
    CAPACITY;

    public static final String RUN_SUMMARY = "summary.json";
    public static final String RUN_REQUESTS = "requests.csv";
    public static final String CAPACITY_JSON = "capacity.json";
    public static final String CAPACITY_PROBES = "capacity_probes.csv";

    /** The kind of {@code dir}; a folder of none of the kinds is a mistake naming what each kind holds. */
    public static FolderKind of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AnalysisException(dir + ": no such folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.anyMatch(f -> ResultsSchema.RESULT_FILE.matcher(f.getFileName().toString()).matches())) {
                return RESULTS;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (Files.isRegularFile(dir.resolve(RUN_REQUESTS)) && Files.isRegularFile(dir.resolve(RUN_SUMMARY))) {
            return RUN;
        }
        if (Files.isRegularFile(dir.resolve(CAPACITY_PROBES)) && Files.isRegularFile(dir.resolve(CAPACITY_JSON))) {
            return CAPACITY;
        }
        throw new AnalysisException(dir + ": not a results folder: expected result CSVs (<name>_results*.csv, from stress,"
                + " plan run or study), " + RUN_SUMMARY + " and " + RUN_REQUESTS + " (from run), or " + CAPACITY_JSON
                + " and " + CAPACITY_PROBES + " (from capacity)");
    }
}
