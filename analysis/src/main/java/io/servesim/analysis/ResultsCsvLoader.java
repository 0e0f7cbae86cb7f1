package io.servesim.analysis;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The one reader of CSV files of the analysis: result CSVs (one row per cell) and per-request
 * files ({@code requests/<cell_id>.csv.gz}), both through Tablesaw.
 *
 * <p>Result files are the top-level files named {@code <name>_results.csv} or
 * {@code <name>_results_<part>.csv}. When {@code <P>_all_results.csv} exists it holds every row
 * of the files named {@code <P>_…}, so those are not read again.
 */
public final class ResultsCsvLoader {

    private static final Pattern REQUEST_FILE = Pattern.compile("(.+)\\.csv(\\.gz)?");
    private static final String ALL_RESULTS_SUFFIX = "_all_results.csv";
    private static final Pattern REPLICATION_SUFFIX = Pattern.compile("-r\\d+$");
    private static final String[] MISSING = {"", "NA", "NaN", "null"};

    /**
     * Rows of all result files of a folder, with the columns the analysis reads, and the folder's config.json
     * ({@code null} when it has none or it cannot be parsed; {@code configNote} then says which).
     */
    public record LoadedResults(Table rows, List<String> files, JsonNode config, String configNote) {
    }

    /** Reads config.json leniently: a folder of an older version may write bare NaN and Infinity. */
    private static final ObjectMapper CONFIG_READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Loads the result CSVs of {@code resultsDir}; throws {@link AnalysisException} on user mistakes. */
    public LoadedResults loadResults(Path resultsDir) {
        List<Path> files = resultFiles(resultsDir);
        Table all = null;
        for (Path file : files) {
            Table read = readCsv(file, resultColumnTypes());
            if (read.isEmpty()) {
                continue;
            }
            Table table = normalised(read, file);
            all = all == null ? table : all.append(table);
        }
        if (all == null || all.isEmpty()) {
            throw new AnalysisException(resultsDir + ": the result CSVs " + names(files)
                    + " have a header but no rows; re-run the experiment or point to another folder");
        }
        StringColumn configKey = all.stringColumn(ResultsSchema.CELL_ID)
                .replaceAll(REPLICATION_SUFFIX.pattern(), "");
        configKey.setName(ResultsSchema.CONFIG_KEY);
        all.addColumns(configKey);
        Path configFile = resultsDir.resolve(ResultsSchema.CONFIG_JSON);
        if (!Files.isRegularFile(configFile)) {
            return new LoadedResults(all, names(files), null, ResultsSchema.CONFIG_JSON + " absent");
        }
        try {
            return new LoadedResults(all, names(files), CONFIG_READER.readTree(configFile.toFile()), null);
        } catch (IOException e) {
            return new LoadedResults(all, names(files), null, ResultsSchema.CONFIG_JSON + " unreadable ("
                    + firstLine(e) + ")");
        }
    }

    /**
     * Loads a per-request file ({@code .csv.gz} or plain {@code .csv}) with at least the columns
     * {@code outcome}, {@code ttft_s} and {@code e2e_s}.
     */
    public Table loadRequests(Path file) {
        Map<String, ColumnType> types = new HashMap<>();
        types.put(ResultsSchema.REQUEST_OUTCOME, ColumnType.STRING);
        types.put(ResultsSchema.REQUEST_TTFT_S, ColumnType.DOUBLE);
        types.put(ResultsSchema.REQUEST_E2E_S, ColumnType.DOUBLE);
        Table table = readCsv(file, types);
        requireColumns(table, file, ResultsSchema.REQUEST_REQUIRED);
        return table;
    }

    /**
     * End-to-end latencies (seconds) of the completed requests of each configuration, pooled over
     * its replications, from {@code requests/<cell_id>.csv.gz}; empty when the folder has none.
     */
    public Map<String, double[]> loadCompletedE2eByConfig(Path resultsDir) {
        Path requestsDir = resultsDir.resolve(ResultsSchema.REQUESTS_FOLDER);
        Map<String, double[]> latencies = new TreeMap<>();
        if (!Files.isDirectory(requestsDir)) {
            return latencies;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(requestsDir)) {
            files = listing.filter(p -> REQUEST_FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new AnalysisException(requestsDir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        for (Path file : files) {
            Table requests = loadRequests(file);
            double[] completed = requests
                    .where(requests.stringColumn(ResultsSchema.REQUEST_OUTCOME).isEqualTo(ResultsSchema.OUTCOME_COMPLETED))
                    .doubleColumn(ResultsSchema.REQUEST_E2E_S).removeMissing().asDoubleArray();
            String cellId = REQUEST_FILE.matcher(file.getFileName().toString()).replaceFirst("$1");
            String configKey = REPLICATION_SUFFIX.matcher(cellId).replaceFirst("");
            latencies.merge(configKey, completed, ResultsCsvLoader::concat);
        }
        return latencies;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<Path> resultFiles(Path resultsDir) {
        if (!Files.isDirectory(resultsDir)) {
            throw new AnalysisException(resultsDir + ": no such results folder; pass the folder an experiment wrote (results/<experiment>-<timestamp>)");
        }
        List<Path> candidates;
        try (Stream<Path> listing = Files.list(resultsDir)) {
            candidates = listing.filter(Files::isRegularFile)
                    .filter(p -> ResultsSchema.RESULT_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AnalysisException(resultsDir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        if (candidates.isEmpty()) {
            throw new AnalysisException(resultsDir + ": no result CSVs (expected files named <study>_results.csv or "
                    + ResultsSchema.STRESS_PREFIX + "_step*.csv); is this a results folder?");
        }
        List<String> coveringPrefixes = candidates.stream()
                .map(p -> p.getFileName().toString())
                .filter(name -> name.endsWith(ALL_RESULTS_SUFFIX))
                .map(name -> name.substring(0, name.length() - ALL_RESULTS_SUFFIX.length()) + "_")
                .toList();
        List<Path> files = new ArrayList<>();
        for (Path candidate : candidates) {
            String name = candidate.getFileName().toString();
            boolean covered = !name.endsWith(ALL_RESULTS_SUFFIX)
                    && coveringPrefixes.stream().anyMatch(name::startsWith);
            if (!covered) {
                files.add(candidate);
            }
        }
        return files;
    }

    private static Map<String, ColumnType> resultColumnTypes() {
        Map<String, ColumnType> types = new HashMap<>();
        for (String column : ResultsSchema.REQUIRED) {
            types.put(column, ResultsSchema.TEXT.contains(column) ? ColumnType.STRING : ColumnType.DOUBLE);
        }
        for (String column : ResultsSchema.OPTIONAL_NUMERIC) {
            types.put(column, ColumnType.DOUBLE);
        }
        for (String column : ResultsSchema.OPTIONAL_TEXT) {
            types.put(column, ColumnType.STRING);
        }
        return types;
    }

    private static Table readCsv(Path file, Map<String, ColumnType> types) {
        String name = file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            CsvReadOptions options = CsvReadOptions.builder(in)
                    .tableName(name)
                    .missingValueIndicator(MISSING)
                    .columnTypesPartial(column -> Optional.ofNullable(types.get(column)))
                    .build();
            return Table.read().csv(options);
        } catch (IOException e) {
            throw new AnalysisException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new AnalysisException(file + ": not a readable CSV of the results schema (" + firstLine(e) + ")", e);
        }
    }

    private static Table normalised(Table table, Path file) {
        requireColumns(table, file, ResultsSchema.REQUIRED);
        for (String column : ResultsSchema.OPTIONAL_NUMERIC) {
            if (!table.containsColumn(column)) {
                table.addColumns(DoubleColumn.create(column, table.rowCount()));
            }
        }
        for (String column : ResultsSchema.OPTIONAL_TEXT) {
            if (!table.containsColumn(column)) {
                StringColumn empty = StringColumn.create(column);
                for (int row = 0; row < table.rowCount(); row++) {
                    empty.append("");
                }
                table.addColumns(empty);
            }
        }
        StringColumn saturated = table.stringColumn(ResultsSchema.SATURATED);
        for (int row = 0; row < saturated.size(); row++) {
            String value = saturated.get(row).trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new AnalysisException(file + ": column '" + ResultsSchema.SATURATED + "' must be true or false, got '"
                        + saturated.get(row) + "' in data row " + (row + 1));
            }
            saturated.set(row, value);
        }
        List<String> columns = new ArrayList<>(ResultsSchema.REQUIRED);
        columns.addAll(ResultsSchema.OPTIONAL_NUMERIC);
        columns.addAll(ResultsSchema.OPTIONAL_TEXT);
        return table.selectColumns(columns.toArray(String[]::new));
    }

    private static void requireColumns(Table table, Path file, List<String> required) {
        List<String> missing = required.stream().filter(c -> !table.containsColumn(c)).toList();
        if (!missing.isEmpty()) {
            throw new AnalysisException(file + ": missing required column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (see docs/results-schema.md)");
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
