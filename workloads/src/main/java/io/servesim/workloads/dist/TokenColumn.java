package io.servesim.workloads.dist;

import io.servesim.core.config.ConfigException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Token counts in CSV files: parsing one cell with an error that names the file, the line and the column,
 * and reading a whole column (by header name) into a primitive array.
 */
public final class TokenColumn {

    /** Strict CSV: comma-separated, optional quotes, blank lines kept so that record number = line number. */
    public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(false)
            .setTrim(true)
            .get();

    private TokenColumn() {
    }

    /**
     * Parses a token count ≥ 1.
     *
     * @throws ConfigException "{@code <file> line <line>: <column> '<text>' is not an integer}" or "… must be >= 1"
     */
    public static int parse(String file, long line, String column, String text) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            boolean digits = text.matches("-?\\d+");
            throw new ConfigException(file + " line " + line + ": " + column + " '" + ConfigException.printable(text) + "' "
                    + (digits ? "is out of range (at most " + Integer.MAX_VALUE + ")" : "is not an integer"));
        }
        if (value < 1) {
            throw new ConfigException(file + " line " + line + ": " + column + " must be >= 1, got " + value);
        }
        return value;
    }

    /** Opens {@code file} for {@link #FORMAT}, failing with a {@link ConfigException} if it cannot be read. */
    public static CSVParser open(Path file) {
        try {
            return CSVParser.parse(file, StandardCharsets.UTF_8, FORMAT);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The header of a file opened with {@link #open}, with a byte-order mark stripped from its first name. */
    public static String[] header(CSVRecord record) {
        String[] names = record.values();
        if (names.length > 0 && names[0].startsWith("\uFEFF")) {
            names[0] = names[0].substring(1);
        }
        return names;
    }

    /** Reads the column named {@code column} (first line = header) of {@code file} as token counts. */
    public static int[] read(Path file, String column) {
        String name = file.getFileName().toString();
        try (CSVParser parser = open(file)) {
            int index = -1;
            int[] values = new int[1024];
            int size = 0;
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber();
                if (index < 0) {
                    index = Arrays.asList(header(record)).indexOf(column);
                    if (index < 0) {
                        throw new ConfigException(name + " line 1: no column '" + column + "' in header "
                                + Arrays.toString(header(record)));
                    }
                    continue;
                }
                if (record.size() <= index) {
                    throw new ConfigException(name + " line " + line + ": expected at least " + (index + 1)
                            + " fields, got " + record.size());
                }
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                values[size++] = parse(name, line, column, record.get(index));
            }
            if (size == 0) {
                throw new ConfigException(name + ": no values in column '" + column + "'");
            }
            return Arrays.copyOf(values, size);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new ConfigException(name + ": malformed CSV: " + e.getMessage(), e);
        }
    }
}
