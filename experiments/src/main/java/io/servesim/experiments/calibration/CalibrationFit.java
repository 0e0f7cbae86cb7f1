package io.servesim.experiments.calibration;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Least squares on relative error: finds the coefficients that minimise Σ ((predicted − measured) / measured)² over
 * the given rows, moving only the chosen parameters of a starting calibration (Levenberg–Marquardt from Commons Math,
 * on transformed parameters that keep every coefficient in its range; Jacobian by central differences).
 */
public final class CalibrationFit {
    private static final int MAX_EVALUATIONS = 20_000;
    private static final double STEP = 1e-6;

    private CalibrationFit() {
    }

    /**
     * The fitted GPU: {@code gpu} with the parameters {@code free} moved to their least-squares values on {@code rows}
     * and {@code source} as the calibration's source.
     */
    public static GpuSpec fit(GpuSpec gpu, List<MeasuredRow> rows, List<CalibrationParameter> free, String source) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to fit: no measured rows");
        }
        GpuCalibration start = gpu.calibration();
        double[] base = CalibrationParameter.vector(start);
        double[] x0 = new double[free.size()];
        for (int i = 0; i < free.size(); i++) {
            x0[i] = free.get(i).toFree(base[free.get(i).ordinal()]);
        }
        MultivariateJacobianFunction model = point -> {
            double[] x = point.toArray();
            RealVector value = new ArrayRealVector(residuals(gpu, base, free, x, rows, source), false);
            RealMatrix jacobian = new Array2DRowRealMatrix(rows.size(), x.length);
            for (int j = 0; j < x.length; j++) {
                double[] up = x.clone();
                double[] down = x.clone();
                up[j] += STEP;
                down[j] -= STEP;
                double[] ru = residuals(gpu, base, free, up, rows, source);
                double[] rd = residuals(gpu, base, free, down, rows, source);
                for (int i = 0; i < rows.size(); i++) {
                    jacobian.setEntry(i, j, (ru[i] - rd[i]) / (2 * STEP));
                }
            }
            return new Pair<>(value, jacobian);
        };
        LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer()
                .withCostRelativeTolerance(1e-12).withParameterRelativeTolerance(1e-12)
                .optimize(new LeastSquaresBuilder().model(model).target(new double[rows.size()]).start(x0)
                        .maxEvaluations(MAX_EVALUATIONS).maxIterations(MAX_EVALUATIONS).build());
        return gpu.withCalibration(CalibrationParameter.calibration(start, source,
                values(base, free, optimum.getPoint().toArray())));
    }

    /** The coefficient vector with the free parameters set from the optimizer's point {@code x}. */
    private static double[] values(double[] base, List<CalibrationParameter> free, double[] x) {
        double[] v = base.clone();
        for (int i = 0; i < free.size(); i++) {
            v[free.get(i).ordinal()] = free.get(i).fromFree(x[i]);
        }
        return v;
    }

    private static double[] residuals(GpuSpec gpu, double[] base, List<CalibrationParameter> free, double[] x,
                                      List<MeasuredRow> rows, String source) {
        GpuSpec candidate = gpu.withCalibration(CalibrationParameter.calibration(gpu.calibration(), source,
                values(base, free, x)));
        Map<ReplicaSetupKey, RooflineStepTimeModel> models = new HashMap<>();
        double[] r = new double[rows.size()];
        for (int i = 0; i < r.length; i++) {
            MeasuredRow row = rows.get(i);
            r[i] = row.relativeError(models.computeIfAbsent(row.setup(), s -> s.stepTimeModel(candidate)));
        }
        return r;
    }
}
