package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.experiments.validation.replay.BenchmarkReplay;
import io.servesim.experiments.validation.replay.FrontEnds;
import io.servesim.experiments.validation.replay.BenchmarkRow;
import io.servesim.experiments.validation.replay.ReplayPlanner;
import io.servesim.experiments.validation.replay.RowResult;
import io.servesim.experiments.validation.replay.ServingMetric;

import java.util.List;

/**
 * The serving engine's part of a GPU's calibration, fitted on end-to-end benchmark rows: every candidate set of
 * coefficients replays the rows through the whole simulator (scheduler, batching, queueing; {@link BenchmarkReplay})
 * and is judged on the relative errors of mean TTFT and mean TPOT. Nelder–Mead on those residuals
 * ({@link CalibrationFit#fitSimulated}); the kernels fitted before stay as they are.
 */
public final class EngineFit {
    /** Seed of the replays (each row's run depends only on the row and the seed). */
    static final long SEED = 20_261_130L;
    /** Residual of a row the candidate cannot replay (it completes no request): large, so the fit moves away. */
    private static final double FAILED_ROW = 10;
    private static final List<ServingMetric> METRICS = List.of(ServingMetric.TTFT_MEAN, ServingMetric.TPOT_MEAN);

    private EngineFit() {
    }

    /**
     * {@code start} with the parameters {@code free} fitted on {@code rows} (all of one GPU), replayed with the
     * models of {@code catalog} on {@code threads} threads within {@code maxEvaluations} replays of all rows.
     */
    public static GpuSpec fit(Catalog catalog, GpuSpec start, List<BenchmarkRow> rows,
                              List<CalibrationParameter> free, String source, int threads, int maxEvaluations) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to fit: no end-to-end rows");
        }
        return CalibrationFit.fitSimulated(start, candidate -> residuals(catalog, candidate, rows, threads), free,
                source, maxEvaluations);
    }

    /** The signed relative errors of mean TTFT and TPOT of every row with {@code gpu}'s coefficients. */
    public static double[] residuals(Catalog catalog, GpuSpec gpu, List<BenchmarkRow> rows, int threads) {
        // clients together and no front end: the replay the bundled engine coefficients were fitted with
        // (docs/calibration.md says what a refit under the benchmark replay gives and why it was not adopted)
        BenchmarkReplay replay = new BenchmarkReplay(catalog.withGpu(gpu, "candidate"), SEED, threads, null,
                ReplayPlanner.ClientStart.TOGETHER, FrontEnds.NONE);
        List<RowResult> results = replay.run(rows);
        double[] r = new double[results.size() * METRICS.size()];
        for (int i = 0; i < results.size(); i++) {
            for (int m = 0; m < METRICS.size(); m++) {
                double e = results.get(i).replayed() ? results.get(i).relativeError(METRICS.get(m)) : Double.NaN;
                r[i * METRICS.size() + m] = Double.isFinite(e) ? e : FAILED_ROW;
            }
        }
        return r;
    }
}
