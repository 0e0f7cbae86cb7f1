package io.servesim.experiments.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.experiments.output.StrictJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The output folder of a plan: {@code cells/<cell_id>.json} per finished cell and {@code capacity/<id>.json} per
 * finished capacity search (the resume points), {@code requests/<cell_id>.csv.gz} with {@code --per-request}, the
 * tables written from the records, and {@value #INCOMPLETE_MARKER} while the plan has not finished.
 */
public final class PlanFolder {
    static final String CELLS = "cells";
    /** Where capacity searches leave their records. */
    public static final String CAPACITY = "capacity";
    static final String REQUESTS = "requests";
    /** Present from the start of a run until its last file is written: the folder is not finished. */
    public static final String INCOMPLETE_MARKER = "INCOMPLETE";
    /** In the folder of a shard: which shard of which command ({@link ShardManifest}). */
    public static final String SHARD_MANIFEST = "shard.json";

    private final Path dir;

    public PlanFolder(Path dir) {
        this.dir = dir;
    }

    public Path resolve(String fileName) {
        return dir.resolve(fileName);
    }

    Path cellRecordFile(String cellId) {
        return dir.resolve(CELLS).resolve(cellId + ".json");
    }

    Path requestsFile(String cellId) {
        return dir.resolve(REQUESTS).resolve(cellId + ".csv.gz");
    }

    /** The finished record of {@code cell}, if this folder holds one made from the same cell definition. */
    Optional<CellRecord> finished(Cell cell, String fingerprint) {
        return record(CELLS, cell.id(), CellRecord.class, CellRecord::fingerprint, fingerprint, "the cell " + cell.id());
    }

    void writeRecord(CellRecord record) {
        writeRecord(CELLS, record.cellId(), record);
    }

    /** The finished record of the capacity search {@code search}, if this folder holds one made from the same search. */
    Optional<CapacityRecord> finished(CapacityCell search, String fingerprint) {
        return record(CAPACITY, search.id(), CapacityRecord.class, CapacityRecord::fingerprint, fingerprint,
                "the capacity search " + search.id());
    }

    void writeRecord(CapacityRecord record) {
        writeRecord(CAPACITY, record.searchId(), record);
    }

    /**
     * The record {@code <kind>/<id>.json}, if this folder holds one; it must have been made from the same definition
     * ({@code fingerprint}), else the run's settings differ from those of the run that wrote it.
     *
     * @param kind          {@value #CELLS} or {@value #CAPACITY}
     * @param fingerprintOf the fingerprint a record was made with
     * @param what          what the record is of, for the message, e.g. "the cell step1-…"
     */
    public <R> Optional<R> record(String kind, String id, Class<R> type, Function<R, String> fingerprintOf,
                                  String fingerprint, String what) {
        Path file = dir.resolve(kind).resolve(id + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        R record = ConfigMapper.read(file, type);
        if (!fingerprintOf.apply(record).equals(fingerprint)) {
            throw new PlanException(file + " was made with other settings than " + what + " of this run; resume with"
                    + " the flags and config of that run, or use a new --out folder");
        }
        return Optional.of(record);
    }

    /** Writes {@code <kind>/<id>.json} atomically. */
    public void writeRecord(String kind, String id, Object record) {
        AtomicFiles.write(dir.resolve(kind).resolve(id + ".json"), out -> ConfigMapper.json().writeValue(out, record));
    }

    /** The manifest of the shard this folder holds, if it is a shard's folder. */
    public Optional<ShardManifest> shardManifest() {
        Path file = dir.resolve(SHARD_MANIFEST);
        return Files.isRegularFile(file) ? Optional.of(ConfigMapper.read(file, ShardManifest.class)) : Optional.empty();
    }

    /**
     * Checks that a resumed folder holds {@code shard}: a shard's records are resumed as that shard (and merged), a
     * whole run's folder is not resumed as a shard.
     */
    public void requireShard(Shard shard) {
        Optional<ShardManifest> held = shardManifest();
        if (held.isPresent() && !held.get().parsedShard().equals(shard)) {
            throw new PlanException(dir + " holds shard " + held.get().shard() + " of a run: resume it with --shard "
                    + held.get().shard() + ", or build the run's files from all shards with servesim merge");
        }
        if (held.isEmpty() && shard.partial()) {
            throw new PlanException(dir + " is not the folder of a shard (it has no " + SHARD_MANIFEST
                    + "): resume it without --shard, or give each shard a new --out folder");
        }
    }

    public void writeShardManifest(ShardManifest manifest) {
        StrictJson.write(dir.resolve(SHARD_MANIFEST), manifest);
    }

    /**
     * Marks the folder as not finished ({@value #INCOMPLETE_MARKER}, with {@code explanation} as its text) and
     * removes the temporary files an interrupted writer left behind. Called before a run writes anything else.
     */
    public void markIncomplete(String explanation) {
        removeTemporaryFiles();
        AtomicFiles.writeString(dir.resolve(INCOMPLETE_MARKER), explanation.endsWith("\n") ? explanation : explanation + "\n");
    }

    /** Removes {@value #INCOMPLETE_MARKER}: every file of the run is written. */
    public void markComplete() {
        try {
            Files.deleteIfExists(dir.resolve(INCOMPLETE_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.resolve(INCOMPLETE_MARKER), e);
        }
    }

    /**
     * Deletes the temporary files of {@link AtomicFiles} in the folder and its record folders: a writer killed
     * between creating one and renaming it into place leaves it behind. Only one run uses a folder at a time, so
     * none of them is being written.
     */
    void removeTemporaryFiles() {
        for (Path folder : List.of(dir, dir.resolve(CELLS), dir.resolve(CAPACITY), dir.resolve(REQUESTS))) {
            AtomicFiles.removeTemporaryFiles(folder);
        }
    }

    /**
     * Writes {@code config.json}: every knob of the run, so that it can be repeated exactly. Strict JSON: an infinite
     * limit is written as {@code null}, which reads back as the same default, "no limit" ({@link StrictJson}).
     */
    public void writeConfig(Map<String, Object> config) {
        StrictJson.write(dir.resolve("config.json"), config);
    }

    /** SHA-256 of what defines a cell's result: its id, step, label and scenario (seed included) as JSON. */
    static String fingerprint(Cell cell) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("id", cell.id());
        definition.put("step", cell.step());
        definition.put("label", cell.label());
        definition.put("replication", cell.replication());
        definition.put("scenario", cell.scenario());
        return fingerprint(cell.id(), definition);
    }

    /** SHA-256 of what defines a capacity search's result: its id, label, scenario (seed included) and options. */
    static String fingerprint(CapacityCell search) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("id", search.id());
        definition.put("label", search.label());
        definition.put("scenario", search.scenario());
        definition.put("options", search.options());
        return fingerprint(search.id(), definition);
    }

    /** SHA-256 of {@code definition} as JSON: what defines the result of the record {@code id}. */
    public static String fingerprint(String id, Map<String, Object> definition) {
        try {
            byte[] json = ConfigMapper.json().writeValueAsString(definition).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot describe " + id, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Writes the rows of {@code cells}, in the given order, to {@code fileName}; returns the file. */
    public Path writeResults(String fileName, List<FinishedCell> cells) {
        Path file = dir.resolve(fileName);
        ResultsCsv.writeRows(file, cells.stream().map(FinishedCell::row).toList());
        return file;
    }

    /**
     * Writes the rows of the result files {@code parts} that exist, in the given order, to {@code fileName}
     * (e.g. the three step files of the stress plan into its all-results file); returns the rows.
     */
    public List<ResultRow> combineResults(String fileName, List<String> parts) {
        List<ResultRow> rows = new ArrayList<>();
        String first = null;
        for (String part : parts) {
            Path file = dir.resolve(part);
            if (Files.isRegularFile(file)) {
                List<ResultRow> read = ResultsCsv.read(file);
                if (!rows.isEmpty() && !read.isEmpty() && !read.get(0).columns().equals(rows.get(0).columns())) {
                    throw new PlanException(dir + ": " + first + " and " + part + " have different columns (e.g. one was"
                            + " written with --capacity and the other without); run every step with the same settings");
                }
                if (first == null) {
                    first = part;
                }
                rows.addAll(read);
            }
        }
        ResultsCsv.writeRows(dir.resolve(fileName), rows);
        return rows;
    }

    /** Writes {@code fileName} with the timing of each row's cell, from its record, in row order. */
    public void writeTimings(String fileName, List<ResultRow> rows) {
        writeTimings(fileName, rows, List.of());
    }

    /**
     * Writes {@code fileName} with the timing of each row's cell, from its record, in row order, then of each
     * capacity search in {@code searches}.
     */
    public void writeTimings(String fileName, List<ResultRow> rows, List<CapacityRecord> searches) {
        List<List<String>> timings = new ArrayList<>(rows.size());
        for (ResultRow row : rows) {
            String cellId = row.get("cell_id");
            Path file = cellRecordFile(cellId);
            if (!Files.isRegularFile(file)) {
                throw new PlanException(dir + ": the result row of " + cellId + " has no record " + file);
            }
            timings.add(ConfigMapper.read(file, CellRecord.class).timing().row(cellId));
        }
        for (CapacityRecord search : searches) {
            timings.add(search.timingRow());
        }
        ResultsCsv.write(dir.resolve(fileName), CellTiming.COLUMNS, timings);
    }
}
