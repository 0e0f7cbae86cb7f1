package io.servesim.experiments.plan;

import io.servesim.analysis.output.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer (and reader) of result tables of every plan: RFC 4180 CSV with a header, {@code \n}
 * line ends, UTF-8, written atomically. Values are text already, so the bytes depend only on the rows.
 */
public final class ResultsCsv {
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();
    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    private ResultsCsv() {
    }

    /** Writes {@code header} and {@code rows} (each in header order) to {@code file}, atomically. */
    public static void write(Path file, List<String> header, List<List<String>> rows) {
        AtomicFiles.write(file, raw -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
            try (CSVPrinter csv = new CSVPrinter(writer, WRITE)) {
                csv.printRecord(header);
                for (List<String> row : rows) {
                    if (row.size() != header.size()) {
                        throw new IllegalArgumentException(file.getFileName() + ": a row has " + row.size()
                                + " values for " + header.size() + " columns");
                    }
                    csv.printRecord(row);
                }
            }
        });
    }

    /** Writes result rows; every row must have the columns of the first. */
    public static void writeRows(Path file, List<ResultRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + ": no rows to write");
        }
        List<String> header = rows.get(0).columns();
        List<List<String>> values = new ArrayList<>(rows.size());
        for (ResultRow row : rows) {
            if (!row.columns().equals(header)) {
                throw new IllegalArgumentException(file.getFileName() + ": rows with different columns: "
                        + header + " vs " + row.columns());
            }
            values.add(List.copyOf(row.values().values()));
        }
        write(file, header, values);
    }

    /** Reads a results CSV back into rows, in file order. */
    public static List<ResultRow> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = READ.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            List<ResultRow> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), record.get(i));
                }
                rows.add(new ResultRow(row));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
