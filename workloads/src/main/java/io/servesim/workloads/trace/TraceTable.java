package io.servesim.workloads.trace;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.dist.TokenColumn;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 *   <li>plain: {@code arrival_s,prompt_tokens,output_tokens} (further columns ignored); arrival as given. Optional
 *       columns after these, by name: {@code session_id} (a conversation: its requests' tokens after the shared
 *       prefix are the session's, so a later turn finds the earlier ones cached) and {@code prefix_id} with
 *       {@code prefix_tokens} (a shared prefix, e.g. a system prompt); an empty cell or a negative id means none.</li>
 * </ul>
 * Arrival times must not decrease. Every error names the file and the line. The Azure traces of 2023 ship with
 * ServeSim and are read as {@code bundled:azure-code-2023} and {@code bundled:azure-conv-2023}.
 */
public final class TraceTable {
    static final List<String> AZURE_HEADER = List.of("TIMESTAMP", "ContextTokens", "GeneratedTokens");
    static final List<String> PLAIN_HEADER = List.of("arrival_s", "prompt_tokens", "output_tokens");
    /** A trace path that starts so names a trace shipped with ServeSim. */
    public static final String BUNDLED_PREFIX = "bundled:";
    /** The shipped traces (resources/io/servesim/workloads/traces, with their licence and citation). */
    public static final List<String> BUNDLED_NAMES = List.of("azure-code-2023", "azure-conv-2023");
    private static final DateTimeFormatter AZURE_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final double[] arrivalSeconds;
    private final int[] promptTokens;
    private final int[] outputTokens;
    /** Optional identity columns; null when the trace has none. */
    private final long[] sessionIds;
    private final long[] prefixIds;
    private final int[] prefixTokens;

    private TraceTable(double[] arrivalSeconds, int[] promptTokens, int[] outputTokens, long[] sessionIds,
                       long[] prefixIds, int[] prefixTokens) {
        this.arrivalSeconds = arrivalSeconds;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.sessionIds = sessionIds;
        this.prefixIds = prefixIds;
        this.prefixTokens = prefixTokens;
    }

    /**
     * Reads at most {@code maxRows} data rows (all when {@code maxRows} is 0 or negative) of the trace a config
     * names: {@code bundled:NAME} for a trace shipped with ServeSim ({@link #BUNDLED_NAMES}), otherwise a file path.
     */
    public static TraceTable read(String path, long maxRows) {
        if (!path.startsWith(BUNDLED_PREFIX)) {
            return read(Path.of(path), maxRows);
        }
        String name = path.substring(BUNDLED_PREFIX.length());
        if (!BUNDLED_NAMES.contains(name)) {
            throw new ConfigException("path: no bundled trace '" + name + "'; the bundled traces are "
                    + String.join(", ", BUNDLED_NAMES.stream().map(n -> BUNDLED_PREFIX + n).toList()));
        }
        InputStream stream = TraceTable.class.getResourceAsStream("/io/servesim/workloads/traces/" + name + ".csv");
        if (stream == null) {
            throw new IllegalStateException("bundled trace " + name + " is missing from the jar");
        }
        try (CSVParser parser = CSVParser.parse(stream, StandardCharsets.UTF_8, TokenColumn.FORMAT)) {
            return read(path, parser, maxRows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads at most {@code maxRows} data rows of {@code file} (all when {@code maxRows} is 0 or negative). */
    public static TraceTable read(Path file, long maxRows) {
        try (CSVParser parser = TokenColumn.open(file)) {
            return read(file.getFileName().toString(), parser, maxRows);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TraceTable read(String name, CSVParser parser, long maxRows) {
        try {
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

    /** The row's session, or −1 (none, or no {@code session_id} column). */
    public long sessionId(int row) {
        return sessionIds == null ? -1 : sessionIds[row];
    }

    /** The largest session id of the trace, or −1. */
    public long maxSessionId() {
        long max = -1;
        if (sessionIds != null) {
            for (long id : sessionIds) {
                max = Math.max(max, id);
            }
        }
        return max;
    }

    /** The row's shared prefix, or −1 (none, or no {@code prefix_id} column). */
    public long prefixId(int row) {
        return prefixIds == null ? -1 : prefixIds[row];
    }

    /** Length of the row's shared prefix (0 without one). */
    public int prefixTokens(int row) {
        return prefixIds == null || prefixIds[row] < 0 ? 0 : prefixTokens[row];
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
        private final int sessionColumn;
        private final int prefixColumn;
        private final int prefixTokensColumn;
        private double[] times = new double[1024];
        private int[] prompts = new int[1024];
        private int[] outputs = new int[1024];
        private long[] sessions;
        private long[] prefixes;
        private int[] prefixLengths;
        private int size;
        private LocalDateTime firstTimestamp;

        private Reader(String file, boolean azure, List<String> header) {
            this.file = file;
            this.azure = azure;
            this.columns = azure ? AZURE_HEADER : PLAIN_HEADER;
            this.sessionColumn = header.indexOf("session_id");
            this.prefixColumn = header.indexOf("prefix_id");
            this.prefixTokensColumn = header.indexOf("prefix_tokens");
            if ((prefixColumn < 0) != (prefixTokensColumn < 0)) {
                throw new ConfigException(file + " line 1: prefix_id and prefix_tokens go together; the header has only "
                        + (prefixColumn < 0 ? "prefix_tokens" : "prefix_id"));
            }
            sessions = sessionColumn < 0 ? null : new long[1024];
            prefixes = prefixColumn < 0 ? null : new long[1024];
            prefixLengths = prefixColumn < 0 ? null : new int[1024];
        }

        static Reader forHeader(String file, String[] header) {
            List<String> names = Arrays.asList(header);
            if (names.equals(AZURE_HEADER)) {
                return new Reader(file, true, List.of());
            }
            if (names.size() >= 3 && names.subList(0, 3).equals(PLAIN_HEADER)) {
                return new Reader(file, false, names);
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
                sessions = sessions == null ? null : Arrays.copyOf(sessions, size * 2);
                prefixes = prefixes == null ? null : Arrays.copyOf(prefixes, size * 2);
                prefixLengths = prefixLengths == null ? null : Arrays.copyOf(prefixLengths, size * 2);
            }
            times[size] = time;
            prompts[size] = TokenColumn.parse(file, line, columns.get(1), record.get(1));
            outputs[size] = TokenColumn.parse(file, line, columns.get(2), record.get(2));
            if (sessions != null) {
                sessions[size] = id(record, line, sessionColumn, "session_id");
            }
            if (prefixes != null) {
                long prefix = id(record, line, prefixColumn, "prefix_id");
                prefixes[size] = prefix;
                int length = prefix < 0 ? 0 : (int) id(record, line, prefixTokensColumn, "prefix_tokens");
                if (prefix >= 0 && !(length >= 0 && length <= prompts[size])) {
                    throw new ConfigException(file + " line " + line + ": prefix_tokens must be in [0, prompt_tokens ("
                            + prompts[size] + ")], got " + length);
                }
                prefixLengths[size] = length;
            }
            size++;
        }

        /** An optional integer cell: empty (or a missing field) is −1. */
        private long id(CSVRecord record, long line, int column, String name) {
            String text = column < record.size() ? record.get(column).trim() : "";
            if (text.isEmpty()) {
                return -1;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(file + " line " + line + ": " + name + " '" + ConfigException.printable(text)
                        + "' is not an integer");
            }
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
            return new TraceTable(Arrays.copyOf(times, size), Arrays.copyOf(prompts, size), Arrays.copyOf(outputs, size),
                    sessions == null ? null : Arrays.copyOf(sessions, size),
                    prefixes == null ? null : Arrays.copyOf(prefixes, size),
                    prefixLengths == null ? null : Arrays.copyOf(prefixLengths, size));
        }
    }
}
