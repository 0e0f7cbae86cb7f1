package io.servesim.experiments.validation;

import io.servesim.core.catalog.Catalog;
import io.servesim.experiments.calibration.CalibrationErrors;
import io.servesim.experiments.calibration.CalibrationSplit;
import io.servesim.experiments.calibration.DataSource;
import io.servesim.experiments.calibration.MeasuredRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The step-time model against real measurements that its calibration did not fit: for every GPU of the bundled split
 * ({@code docs/calibration.md}) and every held-out (table, phase), one check whose predicted and simulated values are
 * the mean prediction and the mean measurement (ms) and whose error is the median |predicted − measured| / measured
 * over the rows.
 */
final class MeasuredPhysicsChecks {
    private MeasuredPhysicsChecks() {
    }

    static List<ValidationCheck> heldOut(Map<String, CalibrationSplit> splits, Catalog catalog, double tolerance) {
        List<ValidationCheck> checks = new ArrayList<>();
        splits.forEach((gpu, split) -> {
            List<MeasuredRow> rows = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (DataSource source : split.report()) {
                rows.addAll(source.rows(catalog, dropped));
            }
            for (CalibrationErrors e : CalibrationErrors.of("held-out", catalog.gpu(gpu), rows)) {
                checks.add(new ValidationCheck(String.format(Locale.ROOT,
                        "physics: %s model vs measured %s %s, held out (%d rows, median error)", gpu, e.table(),
                        e.phase(), e.rows()), e.predictedMeanSeconds() * 1e3, e.measuredMeanSeconds() * 1e3, "ms",
                        e.median(), tolerance));
            }
        });
        return checks;
    }
}
