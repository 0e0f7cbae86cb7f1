package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.experiments.validation.replay.BenchmarkRow;
import io.servesim.experiments.validation.replay.ServingMetric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EngineFitTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");

    /** Closed-loop rows of Llama-3.1-8B on one H100 whose "measurements" are what {@code truth} predicts. */
    private static List<BenchmarkRow> rowsMadeBy(GpuSpec truth) {
        List<BenchmarkRow> shapes = new ArrayList<>();
        int line = 1;
        for (int clients : new int[] {1, 8, 32}) {
            for (int[] lengths : new int[][] {{512, 64}, {2048, 128}}) {
                shapes.add(new BenchmarkRow(line++, "r" + line, "vllm", "meta-llama/Llama-3.1-8B-Instruct", "h100_sxm",
                        "", "agg", 1, 1, 1, 1, new BenchmarkRow.ClosedLoop(clients), lengths[0], lengths[1],
                        BenchmarkRow.EngineFlags.NONE, Map.of(ServingMetric.TTFT_MEAN, 1.0,
                        ServingMetric.TPOT_MEAN, 1.0)));
            }
        }
        // measured = truth's prediction: relative error e means predicted = (1 + e) · 1 ms
        double[] r = EngineFit.residuals(CATALOG, truth, shapes, 2);
        List<BenchmarkRow> rows = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            BenchmarkRow s = shapes.get(i);
            var measured = new EnumMap<io.servesim.experiments.validation.replay.ServingMetric, Double>(
                    ServingMetric.class);
            measured.put(ServingMetric.TTFT_MEAN, 1 + r[2 * i]);
            measured.put(ServingMetric.TPOT_MEAN, 1 + r[2 * i + 1]);
            rows.add(new BenchmarkRow(s.line(), s.id(), s.backend(), s.model(), s.system(), s.precision(), s.mode(),
                    s.tp(), s.pp(), s.attentionDp(), s.moeEp(), s.load(), s.promptTokens(), s.outputTokens(), s.engine(),
                    measured));
        }
        return rows;
    }

    @Test
    void theEngineFitFindsTheHostOverheadThatMadeTheRows() {
        // Rows made with O_e = O_g = 3 ms; the fit starts from 1 ms / 0.3 ms and moves only these two.
        var c = H100.calibration();
        GpuSpec truth = H100.withCalibration(CalibrationParameter.calibration(c, "truth", withOverheads(c, 3000, 3000)));
        GpuSpec start = H100.withCalibration(CalibrationParameter.calibration(c, "start", withOverheads(c, 1000, 300)));
        List<BenchmarkRow> rows = rowsMadeBy(truth);
        double before = sumOfSquares(EngineFit.residuals(CATALOG, start, rows, 2));
        GpuSpec fitted = EngineFit.fit(CATALOG, start, rows, List.of(CalibrationParameter.ITERATION_OVERHEAD_MICROS,
                CalibrationParameter.GRAPH_ITERATION_OVERHEAD_MICROS), "fit", 2, 120);
        double after = sumOfSquares(EngineFit.residuals(CATALOG, fitted, rows, 2));
        assertThat(after).isLessThan(before / 100);
        assertThat(fitted.calibration().graphIterationOverheadMicros()).isCloseTo(3000, within(150.0));
    }

    private static double[] withOverheads(GpuCalibration c, double eager, double graph) {
        double[] v = CalibrationParameter.vector(c);
        v[CalibrationParameter.ITERATION_OVERHEAD_MICROS.ordinal()] = eager;
        v[CalibrationParameter.GRAPH_ITERATION_OVERHEAD_MICROS.ordinal()] = graph;
        return v;
    }

    private static double sumOfSquares(double[] r) {
        double s = 0;
        for (double x : r) {
            s += x * x;
        }
        return s;
    }
}
