package io.servesim.workloads.trace;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.dist.TokenColumn;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a request trace in three primitive columns (16 bytes per row, no object per row), read from CSV in
 * one streaming pass. Two formats, told apart by the header:
 * <ul>
 *   <li>Azure LLM inference trace: {@code TIMESTAMP,ContextTokens,GeneratedTokens}, timestamps like
 *       {@code 2023-11-16 18:17:03.9799600}; arrival = seconds since the first row's timestamp;</li>
 *   <li>plain: {@code arrival_s,prompt_tokens,output_tokens} (further columns ignored); arrival as given.</li>
 * </ul>
 * Arrival times must not decrease. Every error names the file and the line.
 */
public final class TraceTable {
    static final List<String> AZURE_HEADER = List.of("TIMESTAMP", "ContextTokens", "GeneratedTokens");
    static final List<String> PLAIN_HEADER = List.of("arrival_s", "prompt_tokens", "output_tokens");
    private static final DateTimeFormatter AZURE_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final double[] arrivalSeconds;
    private final int[] promptTokens;
    private final int[] outputTokens;

    private TraceTable(double[] arrivalSeconds, int[] promptTokens, int[] outputTokens) {
        this.arrivalSeconds = arrivalSeconds;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
    }

    /** Reads at most {@code maxRows} data rows of {@code file} (all when {@code maxRows} is 0 or negative). */
    public static TraceTable read(Path file, long maxRows) {
        String name = file.getFileName().toString();
        try (CSVParser parser = TokenColumn.open(file)) {
            Reader reader = null;
            for (CSVRecord record : parser) {
                if (reader == null) {
                    reader = Reader.forHeader(name, TokenColumn.header(record));
                } else {
                    reader.add(record);
                    if (maxRows > 0 && reader.size == maxRows) {
                        break;
                    }
                }
            }
            if (reader == null) {
                throw new ConfigException(name + ": the trace is empty (expected a header "
                        + String.join(",", AZURE_HEADER) + " or " + String.join(",", PLAIN_HEADER) + ")");
            }
            if (reader.size == 0) {
                throw new ConfigException(name + ": the trace has a header but no requests");
            }
            return reader.table();
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new ConfigException(name + ": malformed CSV: " + e.getMessage(), e);
        }
    }

    public int size() {
        return arrivalSeconds.length;
    }

    public double arrivalSeconds(int row) {
        return arrivalSeconds[row];
    }

    public int promptTokens(int row) {
        return promptTokens[row];
    }

    public int outputTokens(int row) {
        return outputTokens[row];
    }

    /** Copies of the length columns. */
    public int[] promptColumn() {
        return promptTokens.clone();
    }

    public int[] outputColumn() {
        return outputTokens.clone();
    }

    /** Last arrival − first arrival. */
    public double spanSeconds() {
        return arrivalSeconds[size() - 1] - arrivalSeconds[0];
    }

    /** Accumulates rows of one file, parsing cells by the format its header announced. */
    private static final class Reader {
        private final String file;
        private final boolean azure;
        private final List<String> columns;
        private double[] times = new double[1024];
        private int[] prompts = new int[1024];
        private int[] outputs = new int[1024];
        private int size;
        private LocalDateTime firstTimestamp;

        private Reader(String file, boolean azure) {
            this.file = file;
            this.azure = azure;
            this.columns = azure ? AZURE_HEADER : PLAIN_HEADER;
        }

        static Reader forHeader(String file, String[] header) {
            List<String> names = Arrays.asList(header);
            if (names.equals(AZURE_HEADER)) {
                return new Reader(file, true);
            }
            if (names.size() >= 3 && names.subList(0, 3).equals(PLAIN_HEADER)) {
                return new Reader(file, false);
            }
            throw new ConfigException(file + " line 1: unrecognised header " + String.join(",", header)
                    + "; expected " + String.join(",", AZURE_HEADER) + " (Azure trace) or "
                    + String.join(",", PLAIN_HEADER) + " (plain)");
        }

        void add(CSVRecord record) {
            long line = record.getRecordNumber();
            if (azure ? record.size() != 3 : record.size() < 3) {
                throw new ConfigException(file + " line " + line + ": expected " + (azure ? "" : "at least ")
                        + "3 fields, got " + record.size());
            }
            double time = azure ? azureSeconds(line, record.get(0)) : plainSeconds(line, record.get(0));
            if (size > 0 && time < times[size - 1]) {
                throw new ConfigException(file + " line " + line + ": " + columns.get(0) + " '" + record.get(0)
                        + "' is earlier than the line before; the trace must be sorted by time");
            }
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                prompts = Arrays.copyOf(prompts, size * 2);
                outputs = Arrays.copyOf(outputs, size * 2);
            }
            times[size] = time;
            prompts[size] = TokenColumn.parse(file, line, columns.get(1), record.get(1));
            outputs[size] = TokenColumn.parse(file, line, columns.get(2), record.get(2));
            size++;
        }

        private double azureSeconds(long line, String text) {
            LocalDateTime timestamp;
            try {
                timestamp = LocalDateTime.parse(text, AZURE_TIMESTAMP);
            } catch (DateTimeParseException e) {
                throw new ConfigException(file + " line " + line + ": TIMESTAMP '" + text
                        + "' is not a timestamp like 2023-11-16 18:17:03.9799600");
            }
            if (firstTimestamp == null) {
                firstTimestamp = timestamp;
            }
            long seconds = timestamp.toEpochSecond(ZoneOffset.UTC) - firstTimestamp.toEpochSecond(ZoneOffset.UTC);
            return seconds + (timestamp.getNano() - firstTimestamp.getNano()) * 1e-9;
        }

        private double plainSeconds(long line, String text) {
            double seconds;
            try {
                seconds = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(file + " line " + line + ": arrival_s '" + text + "' is not a number");
            }
            if (!(seconds >= 0 && Double.isFinite(seconds))) {
                throw new ConfigException(file + " line " + line + ": arrival_s must be >= 0, got " + text);
            }
            return seconds;
        }

        TraceTable table() {
            return new TraceTable(Arrays.copyOf(times, size), Arrays.copyOf(prompts, size), Arrays.copyOf(outputs, size));
        }
    }
}
