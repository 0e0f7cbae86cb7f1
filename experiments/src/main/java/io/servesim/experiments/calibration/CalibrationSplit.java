package io.servesim.experiments.calibration;

import com.fasterxml.jackson.core.type.TypeReference;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.validation.replay.BenchmarkFile;
import io.servesim.experiments.validation.replay.BenchmarkRow;
import io.servesim.experiments.validation.replay.CatalogNames;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The bundled decision of which measurements fit each GPU's coefficients and which only report their error
 * ({@code split.json}, the same table as {@code docs/calibration.md}), fixed before any fit was run.
 *
 * @param fitParameters {@code kernel} ({@link CalibrationParameter#KERNEL}) or {@code iteration}
 *                      ({@link CalibrationParameter#ITERATION})
 * @param fit           the tables fitted on
 * @param report        the held-out tables whose error is reported
 * @param engine        the end-to-end rows the serving engine's coefficients are fitted on, or null
 */
public record CalibrationSplit(String fitParameters, List<DataSource> fit, List<DataSource> report, EngineRows engine) {
    private static final String FOLDER = "io/servesim/experiments/calibration/";
    private static final String RESOURCE = FOLDER + "split.json";

    public CalibrationSplit {
        ConfigException.require("kernel".equals(fitParameters) || "iteration".equals(fitParameters), "fit_parameters",
                "must be kernel or iteration", fitParameters);
        fit = List.copyOf(fit);
        report = List.copyOf(report);
    }

    /**
     * End-to-end rows of a bundled benchmark file (validate --against's formats) chosen by backend, file model name
     * and TP degree.
     *
     * @param file    the bundled file, relative to the calibration data folder
     * @param backend the backend of the rows
     * @param model   the file's model name of the rows
     * @param tp      the TP degree of the rows
     */
    public record EngineRows(String file, String backend, String model, Integer tp) {
        /**
         * Whether the engine of {@code gpu} is fitted on {@code row}: an aggregated row of that GPU in bf16, of the
         * backend, file model name and TP degree given (each null matches any).
         */
        public boolean selects(BenchmarkRow row, String gpu) {
            return "agg".equals(row.mode()) && gpu.equalsIgnoreCase(CatalogNames.gpu(row.system()))
                    && (backend == null || backend.equalsIgnoreCase(row.backend()))
                    && (model == null || model.equalsIgnoreCase(row.model()))
                    && (tp == null || tp == row.tp())
                    && (row.precision().isEmpty() || row.precision().equalsIgnoreCase("bf16"));
        }

        /** The bundled file, read from the class path. */
        public BenchmarkFile read() {
            try (InputStream in = CalibrationSplit.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new IllegalStateException("bundled resource " + FOLDER + file + " is missing");
                }
                return BenchmarkFile.read(Path.of(FOLDER + file),
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The parameters this split fits. */
    public List<CalibrationParameter> parameters() {
        return "kernel".equals(fitParameters) ? CalibrationParameter.KERNEL : CalibrationParameter.ITERATION;
    }

    /**
     * The end-to-end rows that the serving-engine coefficients of {@code active} were fitted on: the bundled split's
     * engine rows of every GPU whose calibration in {@code active} is still the bundled one (a catalog overlay that
     * replaces a GPU's calibration leaves none of its rows fitted).
     */
    public static Predicate<BenchmarkRow> fittedEngineRows(Catalog active) {
        Catalog shipped = Catalog.load();
        Predicate<BenchmarkRow> fitted = row -> false;
        for (Map.Entry<String, CalibrationSplit> e : bundled().entrySet()) {
            EngineRows engine = e.getValue().engine();
            String gpu = e.getKey();
            if (engine != null && active.gpu(gpu).calibration().equals(shipped.gpu(gpu).calibration())) {
                fitted = fitted.or(row -> engine.selects(row, gpu));
            }
        }
        return fitted;
    }

    /** The bundled split of every GPU that has one, by catalog GPU name. */
    public static Map<String, CalibrationSplit> bundled() {
        try (InputStream in = CalibrationSplit.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + RESOURCE + " is missing");
            }
            Map<String, CalibrationSplit> splits = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            splits.putAll(ConfigMapper.json().readValue(in, new TypeReference<Map<String, CalibrationSplit>>() { }));
            return splits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
