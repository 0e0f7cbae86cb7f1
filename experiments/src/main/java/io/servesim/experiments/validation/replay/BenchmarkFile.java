package io.servesim.experiments.validation.replay;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.validation.replay.BenchmarkRow.EngineFlags;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A file of measured benchmark rows in one of two formats, recognised by the header:
 *
 * <ul>
 *   <li>{@link Format#SILICON_SAMPLE} — AIConfigurator's {@code silicon_sample.csv} (a {@code silicon_ttft_ms}
 *       column): closed-loop runs of {@code batch_size} clients with fixed input and output lengths
 *       ({@code isl}, {@code osl}), mean TTFT and TPOT;</li>
 *   <li>{@link Format#OPEN_LOOP} — ServeSim's open-loop format (a {@code rate_rps} column): requests at a rate,
 *       with engine flags and any of the measured means and 99th percentiles.</li>
 * </ul>
 *
 * <p>Every mistake is a {@link ConfigException} naming the file, and the line and column where there is one.
 */
public final class BenchmarkFile {

    /** The formats, with the header column that identifies each. */
    public enum Format {
        SILICON_SAMPLE("silicon_ttft_ms", "AIConfigurator silicon sample (closed loop)"),
        OPEN_LOOP("rate_rps", "ServeSim open-loop benchmark");

        private final String signature;
        private final String description;

        Format(String signature, String description) {
            this.signature = signature;
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Columns of the silicon sample that the replay needs. */
    static final List<String> SILICON_REQUIRED = List.of("model_path", "system", "backend", "precision", "mode", "isl",
            "osl", "batch_size", "tp_size", "pp_size", "silicon_ttft_ms", "silicon_tpot_ms");
    /** Columns of the open-loop format that every file must have (plus at least one measured metric). */
    static final List<String> OPEN_LOOP_REQUIRED = List.of("model", "gpu", "rate_rps", "prompt_tokens", "output_tokens");
    /** Optional columns of the open-loop format. */
    static final List<String> OPEN_LOOP_OPTIONAL = List.of("id", "backend", "tp", "pp", "precision", "arrival",
            "requests", "max_num_seqs", "max_num_batched_tokens", "chunked_prefill", "front_end_ms");
    /** Requests of an open-loop row's simulated run when the file gives none. */
    public static final int DEFAULT_OPEN_LOOP_REQUESTS = 1000;

    private final Path path;
    private final Format format;
    private final List<BenchmarkRow> rows;

    private BenchmarkFile(Path path, Format format, List<BenchmarkRow> rows) {
        this.path = path;
        this.format = format;
        this.rows = List.copyOf(rows);
    }

    public Path path() {
        return path;
    }

    public Format format() {
        return format;
    }

    /** Every row of the file, in file order. */
    public List<BenchmarkRow> rows() {
        return rows;
    }

    /** Reads {@code path}, detecting its format from the header. */
    public static BenchmarkFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("--against " + path + " does not exist or is not a file");
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(path, reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--against " + path + " does not exist or is not a file");
        } catch (IOException e) {
            throw new ConfigException(path.getFileName() + ": not a readable CSV file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads the CSV text of {@code reader}, detecting its format from the header; {@code path} names it. */
    public static BenchmarkFile read(Path path, Reader reader) {
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get()
                .parse(reader)) {
            return parse(path, csv);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new ConfigException(path.getFileName() + ": not a readable CSV file (" + e.getMessage() + ")", e);
        }
    }

    private static BenchmarkFile parse(Path path, CSVParser csv) {
        String name = path.getFileName().toString();
        Set<String> header = csv.getHeaderMap() == null ? Set.of() : csv.getHeaderMap().keySet();
        Format format = header.contains(Format.SILICON_SAMPLE.signature) ? Format.SILICON_SAMPLE
                : header.contains(Format.OPEN_LOOP.signature) ? Format.OPEN_LOOP
                : null;
        if (format == null) {
            throw new ConfigException(name + ": unknown format: the header has neither "
                    + Format.SILICON_SAMPLE.signature + " (" + Format.SILICON_SAMPLE.description + ") nor "
                    + Format.OPEN_LOOP.signature + " (" + Format.OPEN_LOOP.description + "); see docs/validation.md");
        }
        List<String> required = format == Format.SILICON_SAMPLE ? SILICON_REQUIRED : OPEN_LOOP_REQUIRED;
        for (String column : required) {
            if (!header.contains(column)) {
                throw new ConfigException(name + ": missing column " + column + " (" + format.description + " format)");
            }
        }
        if (format == Format.OPEN_LOOP
                && Arrays.stream(ServingMetric.values()).noneMatch(m -> header.contains(m.measuredColumn()))) {
            throw new ConfigException(name + ": missing column ttft_mean_ms (or another measured metric: "
                    + Arrays.stream(ServingMetric.values()).map(ServingMetric::measuredColumn).toList() + ")");
        }
        List<BenchmarkRow> rows = new ArrayList<>();
        for (CSVRecord record : csv) {
            Fields f = new Fields(name, record);
            rows.add(format == Format.SILICON_SAMPLE ? siliconRow(f) : openLoopRow(f));
        }
        if (rows.isEmpty()) {
            throw new ConfigException(name + ": no rows after the header");
        }
        return new BenchmarkFile(path, format, rows);
    }

    private static BenchmarkRow siliconRow(Fields f) {
        Map<ServingMetric, Double> measured = new EnumMap<>(ServingMetric.class);
        f.positiveDouble("silicon_ttft_ms").ifPresent(v -> measured.put(ServingMetric.TTFT_MEAN, v));
        f.positiveDouble("silicon_tpot_ms").ifPresent(v -> measured.put(ServingMetric.TPOT_MEAN, v));
        // Disaggregated rows give their sizes per prefill and decode pool and leave these empty (0: unknown).
        boolean disaggregated = f.lower("mode").equals("disagg");
        BenchmarkRow.DisaggregatedPools pools = disaggregated
                ? new BenchmarkRow.DisaggregatedPools(poolSizes(f, "prefill_"), poolSizes(f, "decode_")) : null;
        int clients = pools != null ? pools.clients() : f.positiveInt("batch_size", f.lower("mode").equals("agg") ? -1 : 0);
        return new BenchmarkRow(f.line(), f.text("id").isEmpty() ? "line " + f.line() : f.text("id"),
                f.lower("backend"), f.required("model_path"), f.required("system"), f.lower("precision"),
                f.lower("mode"), f.positiveInt("tp_size", 1), f.positiveInt("pp_size", 1),
                f.degree("attention_dp_size"), f.degree("moe_ep_size"),
                new BenchmarkRow.ClosedLoop(clients), f.positiveInt("isl", -1),
                f.positiveInt("osl", -1), EngineFlags.NONE, measured, pools, f.text("backend_version"),
                collection(f.text("silicon_data_source")));
    }

    /**
     * The collection a silicon-sample row's {@code silicon_data_source} names, the part that its rows share: the file
     * of {@code source_file=FILE; …} (one measurement campaign, e.g. {@code …/vllm/0.12.0/Qwen_Qwen3-32B.csv}), the
     * dump of {@code db-dump/DATE; config_id=…}, else the whole text; the per-run parts (concurrency, dates, job ids)
     * are left out.
     */
    static String collection(String dataSource) {
        for (String part : dataSource.split(";")) {
            String p = part.strip();
            if (p.startsWith("source_file=")) {
                return p.substring("source_file=".length());
            }
            if (p.startsWith("db-dump/")) {
                return p;
            }
        }
        return dataSource.strip();
    }

    /** One pool's columns ({@code prefix} is {@code prefill_} or {@code decode_}); empty counts are 0 (not recorded). */
    private static BenchmarkRow.PoolSizes poolSizes(Fields f, String prefix) {
        return new BenchmarkRow.PoolSizes(f.positiveInt(prefix + "num_workers", 0), f.positiveInt(prefix + "tp_size", 1),
                f.positiveInt(prefix + "pp_size", 1), f.degree(prefix + "attention_dp_size"),
                f.degree(prefix + "moe_ep_size"), f.positiveInt(prefix + "batch_size", 0));
    }

    private static BenchmarkRow openLoopRow(Fields f) {
        Map<ServingMetric, Double> measured = new EnumMap<>(ServingMetric.class);
        for (ServingMetric metric : ServingMetric.values()) {
            f.positiveDouble(metric.measuredColumn()).ifPresent(v -> measured.put(metric, v));
        }
        String arrival = f.lower("arrival");
        if (!arrival.isEmpty() && !arrival.equals("poisson") && !arrival.equals("constant")) {
            throw f.mistake("arrival", arrival, "is not poisson or constant");
        }
        double rate = f.positiveDouble("rate_rps").orElseThrow(() -> f.mistake("rate_rps", "", "is required"));
        BenchmarkRow.Load load = new BenchmarkRow.OpenLoop(rate, !arrival.equals("constant"),
                f.positiveInt("requests", DEFAULT_OPEN_LOOP_REQUESTS));
        OptionalDouble frontEnd = f.nonNegativeDouble("front_end_ms");
        EngineFlags engine = new EngineFlags(f.optionalInt("max_num_seqs"), f.optionalInt("max_num_batched_tokens"),
                f.optionalBoolean("chunked_prefill"), frontEnd.isPresent() ? frontEnd.getAsDouble() : null);
        return new BenchmarkRow(f.line(), f.text("id").isEmpty() ? "line " + f.line() : f.text("id"),
                f.lower("backend"), f.required("model"), f.required("gpu"), f.lower("precision"), "agg",
                f.positiveInt("tp", 1), f.positiveInt("pp", 1), 1, 1, load, f.positiveInt("prompt_tokens", -1),
                f.positiveInt("output_tokens", -1), engine, measured, null, f.text("backend_version"));
    }

    /** The fields of one record, read with errors that name the file, line and column. */
    private record Fields(String file, CSVRecord record) {
        int line() {
            return (int) record.getRecordNumber() + 1;
        }

        String text(String column) {
            return record.isMapped(column) && record.isSet(column) ? record.get(column) : "";
        }

        String lower(String column) {
            return text(column).toLowerCase(Locale.ROOT);
        }

        String required(String column) {
            String value = text(column);
            if (value.isEmpty()) {
                throw mistake(column, value, "is required");
            }
            return value;
        }

        /** A positive integer; {@code fallback} when empty (0 allowed), or required when the fallback is negative. */
        int positiveInt(String column, int fallback) {
            String value = text(column);
            if (value.isEmpty()) {
                if (fallback < 0) {
                    throw mistake(column, value, "is required");
                }
                return fallback;
            }
            int parsed = integer(column, value);
            if (parsed < 1) {
                throw mistake(column, value, "must be >= 1");
            }
            return parsed;
        }

        Integer optionalInt(String column) {
            String value = text(column);
            return value.isEmpty() ? null : positiveInt(column, 1);
        }

        /** A parallel degree where empty and 0 mean "none" (1). */
        int degree(String column) {
            String value = text(column);
            if (value.isEmpty()) {
                return 1;
            }
            int parsed = integer(column, value);
            if (parsed < 0) {
                throw mistake(column, value, "must be >= 0");
            }
            return Math.max(1, parsed);
        }

        Boolean optionalBoolean(String column) {
            String value = lower(column);
            return switch (value) {
                case "" -> null;
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw mistake(column, value, "is not true or false");
            };
        }

        OptionalDouble positiveDouble(String column) {
            return number(column, false);
        }

        OptionalDouble nonNegativeDouble(String column) {
            return number(column, true);
        }

        private OptionalDouble number(String column, boolean zeroAllowed) {
            String value = text(column);
            if (value.isEmpty()) {
                return OptionalDouble.empty();
            }
            double parsed;
            try {
                parsed = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw mistake(column, value, "is not a number");
            }
            if (!(zeroAllowed ? parsed >= 0 : parsed > 0) || Double.isInfinite(parsed)) {
                throw mistake(column, value, zeroAllowed ? "must be a number >= 0" : "must be a number > 0");
            }
            return OptionalDouble.of(parsed);
        }

        private int integer(String column, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw mistake(column, value, "is not an integer");
            }
        }

        ConfigException mistake(String column, String value, String problem) {
            return new ConfigException(file + " line " + line() + ": " + column + " '" + value + "' " + problem);
        }
    }
}
