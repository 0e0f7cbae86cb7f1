package io.servesim.experiments.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.output.AtomicFiles;

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

/**
 * The output folder of a plan: {@code cells/<cell_id>.json} per finished cell (the resume points),
 * {@code requests/<cell_id>.csv.gz} with {@code --per-request}, and the tables written from the cells.
 */
public final class PlanFolder {
    static final String CELLS = "cells";
    static final String REQUESTS = "requests";

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
        Path file = cellRecordFile(cell.id());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        CellRecord record = ConfigMapper.read(file, CellRecord.class);
        if (!record.fingerprint().equals(fingerprint)) {
            throw new PlanException(file + " was made with other settings than the cell " + cell.id()
                    + " of this plan; resume with the flags and config of that run, or use a new --out folder");
        }
        return Optional.of(record);
    }

    void writeRecord(CellRecord record) {
        AtomicFiles.write(cellRecordFile(record.cellId()), out -> ConfigMapper.json().writeValue(out, record));
    }

    /** Writes {@code config.json}: every knob of the run, so that it can be repeated exactly. */
    public void writeConfig(Map<String, Object> config) {
        AtomicFiles.write(dir.resolve("config.json"), out -> ConfigMapper.json().writeValue(out, config));
    }

    /** SHA-256 of what defines a cell's result: its id, step, label and scenario (seed included) as JSON. */
    static String fingerprint(Cell cell) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("id", cell.id());
        definition.put("step", cell.step());
        definition.put("label", cell.label());
        definition.put("replication", cell.replication());
        definition.put("scenario", cell.scenario());
        try {
            byte[] json = ConfigMapper.json().writeValueAsString(definition).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot describe cell " + cell.id(), e);
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
        for (String part : parts) {
            Path file = dir.resolve(part);
            if (Files.isRegularFile(file)) {
                rows.addAll(ResultsCsv.read(file));
            }
        }
        ResultsCsv.writeRows(dir.resolve(fileName), rows);
        return rows;
    }

    /** Writes {@code fileName} with the timing of each row's cell, from its record, in row order. */
    public void writeTimings(String fileName, List<ResultRow> rows) {
        List<List<String>> timings = new ArrayList<>(rows.size());
        for (ResultRow row : rows) {
            String cellId = row.get("cell_id");
            Path file = cellRecordFile(cellId);
            if (!Files.isRegularFile(file)) {
                throw new PlanException(dir + ": the result row of " + cellId + " has no record " + file);
            }
            timings.add(ConfigMapper.read(file, CellRecord.class).timing().row(cellId));
        }
        ResultsCsv.write(dir.resolve(fileName), CellTiming.COLUMNS, timings);
    }
}
