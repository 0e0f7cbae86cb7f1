package io.servesim.core.model;

import io.servesim.core.config.ConfigException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads measured step times from CSV, one iteration per row, with the header
 * {@code model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms} (see {@code docs/validation.md}).
 * Rows are grouped by (model, gpu, tp) into {@link StepTimeProfile}s, in order of first appearance. Every mistake
 * is a {@link ConfigException} naming the file and line.
 */
public final class StepTimeProfileCsv {
    /** The columns, in the order ServeSim writes them (readers accept any order). */
    public static final List<String> COLUMNS = List.of("model", "gpu", "tp", "prefill_tokens", "decode_batch",
            "context_tokens", "time_ms");
    /** The bundled table generated from the roofline model (Llama-2-7B on H100-SXM and A100-80GB, tp 1). */
    public static final String BUNDLED_RESOURCE = "io/servesim/core/profiles/roofline-llama-2-7b.csv";

    private StepTimeProfileCsv() {
    }

    /** Reads a user's profile file. */
    public static List<StepTimeProfile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("profile file " + file + " does not exist or is not a file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString());
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException("cannot read profile file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the bundled roofline-generated table. */
    public static List<StepTimeProfile> bundled() {
        try (InputStream in = StepTimeProfileCsv.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED_RESOURCE + " not found on the classpath");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads CSV text; {@code source} names it in messages. */
    public static List<StepTimeProfile> read(Reader reader, String source) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setCommentMarker('#').get();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (!new HashSet<>(header).equals(new HashSet<>(COLUMNS)) || header.size() != COLUMNS.size()) {
                throw new ConfigException(source + ": the header must name the columns " + String.join(",", COLUMNS)
                        + ", got " + (header.isEmpty() ? "an empty file" : String.join(",", header)));
            }
            Map<String, Group> groups = new LinkedHashMap<>();
            for (CSVRecord row : parser) {
                String where = source + " line " + parser.getCurrentLineNumber();
                if (!row.isConsistent()) {
                    throw new ConfigException(where + ": expected " + COLUMNS.size() + " values, got " + row.size());
                }
                try {
                    String model = row.get("model");
                    String gpu = row.get("gpu");
                    int tp = integer(row, "tp");
                    StepTimeProfile.Point point = new StepTimeProfile.Point(integer(row, "prefill_tokens"),
                            integer(row, "decode_batch"), integer(row, "context_tokens"), number(row, "time_ms"));
                    Group group = groups.computeIfAbsent(model + "\u0000" + gpu + "\u0000" + tp,
                            k -> new Group(model, gpu, tp));
                    if (!group.keys.add(List.of(point.prefillTokens(), point.decodeBatch(), point.contextTokens()))) {
                        throw new ConfigException("the iteration (" + point.prefillTokens() + ", " + point.decodeBatch()
                                + ", " + point.contextTokens() + ") of " + model + "/" + gpu + "/tp" + tp
                                + " appears twice");
                    }
                    group.points.add(point);
                } catch (ConfigException e) {
                    throw new ConfigException(where + ": " + e.getMessage(), e);
                }
            }
            if (groups.isEmpty()) {
                throw new ConfigException(source + ": no rows after the header");
            }
            List<StepTimeProfile> profiles = new ArrayList<>(groups.size());
            for (Group g : groups.values()) {
                try {
                    profiles.add(new StepTimeProfile(g.model, g.gpu, g.tp, g.points));
                } catch (ConfigException e) {
                    throw new ConfigException(source + ": " + e.getMessage(), e);
                }
            }
            return profiles;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new ConfigException(source + ": not a readable CSV table (" + e.getMessage() + ")", e);
        }
    }

    private static int integer(CSVRecord row, String column) {
        String text = row.get(column);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(column + " must be an integer, got '" + text + "'");
        }
    }

    private static double number(CSVRecord row, String column) {
        String text = row.get(column);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(column + " must be a number, got '" + text + "'");
        }
    }

    private static final class Group {
        final String model;
        final String gpu;
        final int tp;
        final List<StepTimeProfile.Point> points = new ArrayList<>();
        final Set<List<Integer>> keys = new HashSet<>();

        Group(String model, String gpu, int tp) {
            this.model = model;
            this.gpu = gpu;
            this.tp = tp;
        }
    }
}
