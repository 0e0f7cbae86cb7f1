package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibrationFitTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");
    private static final GpuCalibration TRUTH = new GpuCalibration("truth", null, 0.72, 150, 0.85, 6, 0.35, 4, 5, 0.7,
            120, 0.02, 0, 40, 10, 4.0, 1.0, 900, 300, 8, null, 0.3, 512);

    /** A table made by the model with known coefficients: every kernel term over a grid of tokens and batches. */
    private static List<MeasuredRow> syntheticTable(GpuSpec truth) {
        List<MeasuredRow> rows = new ArrayList<>();
        for (String name : List.of("Llama-2-7B", "Llama-2-70B")) {
            ModelSpec model = CATALOG.model(name);
            ReplicaSetupKey setup = new ReplicaSetupKey(model, name.endsWith("70B") ? 4 : 1, false);
            RooflineStepTimeModel m = setup.stepTimeModel(truth);
            for (int n = 1; n <= 4096; n *= 2) {
                int tokens = n;
                double pairs = tokens * (tokens + 1) / 2.0;
                add(rows, setup, m, "gemm", x -> x.gemmSeconds(tokens, false));
                add(rows, setup, m, "prefill attention", x -> x.attention().prefillSeconds(tokens, pairs, 0, 1));
                add(rows, setup, m, "element-wise", x -> x.elementwiseSeconds(tokens, false));
                add(rows, setup, m, "lm head", x -> x.lmHeadSeconds(tokens, false));
                for (int kv = tokens; kv <= 65_536; kv *= 4) {
                    int total = kv;
                    add(rows, setup, m, "decode attention", x -> x.attention().decodeSeconds(tokens, total, 1));
                }
            }
        }
        return rows;
    }

    private static void add(List<MeasuredRow> rows, ReplicaSetupKey setup, RooflineStepTimeModel truth, String phase,
                            ToDoubleFunction<RooflineStepTimeModel> term) {
        rows.add(new MeasuredRow("synthetic", phase, "row " + rows.size(), setup, term.applyAsDouble(truth), term));
    }

    @Test
    void recoversKnownKernelCoefficientsFromATableTheyGenerated() {
        GpuSpec truth = H100.withCalibration(TRUTH);
        // Start every kernel coefficient 20-50 % away from the truth.
        GpuSpec start = H100.withCalibration(new GpuCalibration("start", null, 0.55, 80, 0.65, 3, 0.5, 2, 8, 0.5,
                200, 0.04, 0, 20, 5, 2.0, 1.0, 900, 300, 8, null, 0.3, 512));
        GpuSpec fitted = CalibrationFit.fit(start, syntheticTable(truth), CalibrationParameter.KERNEL, "fit");

        double[] expected = CalibrationParameter.vector(TRUTH);
        double[] actual = CalibrationParameter.vector(fitted.calibration());
        for (CalibrationParameter p : CalibrationParameter.KERNEL) {
            assertThat(actual[p.ordinal()]).as(p.key()).isCloseTo(expected[p.ordinal()],
                    within(0.01 * expected[p.ordinal()]));
        }
        assertThat(fitted.calibration().source()).isEqualTo("fit");
    }

    @Test
    void errorsOfAnExactModelAreZeroAndOfAScaledTableAreItsScale() {
        GpuSpec truth = H100.withCalibration(TRUTH);
        List<MeasuredRow> exact = syntheticTable(truth);
        assertThat(CalibrationErrors.of("fit", truth, exact)).allSatisfy(e -> assertThat(e.p90()).isLessThan(1e-12));

        // Measurements 30 % slower than the model: every error is −1 + 1/1.3 = −23.08 %.
        List<MeasuredRow> slower = exact.stream().map(r -> new MeasuredRow(r.table(), r.phase(), r.shape(), r.setup(),
                r.measuredSeconds() * 1.3, r.prediction())).toList();
        assertThat(CalibrationErrors.of("fit", truth, slower)).allSatisfy(e -> {
            assertThat(e.median()).isCloseTo(0.3 / 1.3, within(1e-9));
            assertThat(e.bias()).isCloseTo(-0.3 / 1.3, within(1e-9));
        });
    }
}
