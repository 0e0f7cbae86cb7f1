package io.servesim.experiments.calibration;

import com.fasterxml.jackson.core.type.TypeReference;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundled decision of which measurements fit each GPU's coefficients and which only report their error
 * ({@code split.json}, the same table as {@code docs/calibration.md}), fixed before any fit was run.
 *
 * @param fitParameters {@code kernel} ({@link CalibrationParameter#KERNEL}) or {@code iteration}
 *                      ({@link CalibrationParameter#ITERATION})
 * @param fit           the tables fitted on
 * @param report        the held-out tables whose error is reported
 */
public record CalibrationSplit(String fitParameters, List<DataSource> fit, List<DataSource> report) {
    private static final String RESOURCE = "io/servesim/experiments/calibration/split.json";

    public CalibrationSplit {
        ConfigException.require("kernel".equals(fitParameters) || "iteration".equals(fitParameters), "fit_parameters",
                "must be kernel or iteration", fitParameters);
        fit = List.copyOf(fit);
        report = List.copyOf(report);
    }

    /** The parameters this split fits. */
    public List<CalibrationParameter> parameters() {
        return "kernel".equals(fitParameters) ? CalibrationParameter.KERNEL : CalibrationParameter.ITERATION;
    }

    /** The bundled split of every GPU that has one, by catalog GPU name. */
    public static Map<String, CalibrationSplit> bundled() {
        try (InputStream in = CalibrationSplit.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + RESOURCE + " is missing");
            }
            return new TreeMap<>(String.CASE_INSENSITIVE_ORDER) {{
                putAll(ConfigMapper.json().readValue(in, new TypeReference<Map<String, CalibrationSplit>>() { }));
            }};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
