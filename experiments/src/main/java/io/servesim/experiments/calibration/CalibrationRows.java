package io.servesim.experiments.calibration;

import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-row report of a calibration ({@code calibrate} writes it beside the catalog overlay): every fitted and
 * held-out measurement with the fitted coefficients' prediction and the signed relative error, so that a table's
 * median can be traced to the batches behind it.
 */
public final class CalibrationRows {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("role", "table", "phase", "shape", "measured_ms",
            "predicted_ms", "error");

    private CalibrationRows() {
    }

    /** Writes one CSV row per measurement of {@code fit} (role {@code fit}) and {@code heldOut} ({@code held_out}). */
    public static void write(OutputStream raw, GpuSpec gpu, List<MeasuredRow> fit, List<MeasuredRow> heldOut)
            throws IOException {
        Map<ReplicaSetupKey, RooflineStepTimeModel> models = new HashMap<>();
        try (Writer out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8));
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                     .setHeader(COLUMNS.toArray(String[]::new)).setRecordSeparator("\n").get())) {
            for (String role : new String[] {"fit", "held_out"}) {
                for (MeasuredRow row : role.equals("fit") ? fit : heldOut) {
                    RooflineStepTimeModel model = models.computeIfAbsent(row.setup(), s -> s.stepTimeModel(gpu));
                    printer.printRecord(role, row.table(), row.phase(), row.shape(),
                            Double.toString(row.measuredSeconds() * 1e3),
                            Double.toString(row.prediction().applyAsDouble(model) * 1e3),
                            Double.toString(row.relativeError(model)));
                }
            }
        }
    }
}
