package io.servesim.experiments.calibration;

import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.util.Pair;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Least squares on relative error: finds the coefficients that minimise Σ ((predicted − measured) / measured)², moving
 * only the chosen parameters of a starting calibration, on transformed parameters that keep every coefficient in its
 * range ({@link CalibrationParameter}). Smooth residuals (kernel and iteration tables, predicted by the step-time
 * model) use Levenberg–Marquardt with a central-difference Jacobian; residuals from whole simulations, which move in
 * small steps as scheduling decisions change, use the Nelder–Mead simplex (both from Commons Math).
 */
public final class CalibrationFit {
    private static final int MAX_EVALUATIONS = 20_000;
    private static final double STEP = 1e-6;
    /** Initial simplex size in the transformed space: a factor e on a positive coefficient, wide on a fraction. */
    private static final double SIMPLEX_STEP = 1.0;
    /** A simplex started on a fraction's bound cannot leave it: such starts move inside [margin, 1 − margin]. */
    private static final double SIMPLEX_FRACTION_MARGIN = 0.05;

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
        Function<GpuSpec, double[]> residuals = candidate -> {
            Map<ReplicaSetupKey, RooflineStepTimeModel> models = new HashMap<>();
            double[] r = new double[rows.size()];
            for (int i = 0; i < r.length; i++) {
                MeasuredRow row = rows.get(i);
                r[i] = row.relativeError(models.computeIfAbsent(row.setup(), s -> s.stepTimeModel(candidate)));
            }
            return r;
        };
        Space space = new Space(gpu, free, source);
        MultivariateJacobianFunction model = point -> {
            double[] x = point.toArray();
            double[] value = residuals.apply(space.gpu(x));
            RealMatrix jacobian = new Array2DRowRealMatrix(value.length, x.length);
            for (int j = 0; j < x.length; j++) {
                double[] up = x.clone();
                double[] down = x.clone();
                up[j] += STEP;
                down[j] -= STEP;
                double[] ru = residuals.apply(space.gpu(up));
                double[] rd = residuals.apply(space.gpu(down));
                for (int i = 0; i < value.length; i++) {
                    jacobian.setEntry(i, j, (ru[i] - rd[i]) / (2 * STEP));
                }
            }
            return new Pair<>(new ArrayRealVector(value, false), jacobian);
        };
        double[] best = new LevenbergMarquardtOptimizer()
                .withCostRelativeTolerance(1e-12).withParameterRelativeTolerance(1e-12)
                .optimize(new LeastSquaresBuilder().model(model).target(new double[rows.size()]).start(space.start())
                        .maxEvaluations(MAX_EVALUATIONS).maxIterations(MAX_EVALUATIONS).build())
                .getPoint().toArray();
        return space.gpu(best);
    }

    /**
     * The fitted GPU for residuals that come from whole simulations: {@code residuals} gives the signed relative errors
     * of a candidate GPU; Nelder–Mead minimises their sum of squares, and the best point of at most
     * {@code maxEvaluations} evaluations is kept.
     */
    public static GpuSpec fitSimulated(GpuSpec gpu, Function<GpuSpec, double[]> residuals,
                                       List<CalibrationParameter> free, String source, int maxEvaluations) {
        Space space = new Space(gpu, free, source);
        double[] best = space.startInside(SIMPLEX_FRACTION_MARGIN);
        double[] bestCost = {Double.POSITIVE_INFINITY};
        MultivariateFunction cost = x -> {
            double sum = 0;
            for (double r : residuals.apply(space.gpu(x))) {
                sum += r * r;
            }
            if (sum < bestCost[0]) {
                bestCost[0] = sum;
                System.arraycopy(x, 0, best, 0, x.length);
            }
            return sum;
        };
        double[] steps = new double[free.size()];
        java.util.Arrays.fill(steps, SIMPLEX_STEP);
        try {
            new SimplexOptimizer(1e-6, 1e-9).optimize(new MaxEval(maxEvaluations), new ObjectiveFunction(cost),
                    GoalType.MINIMIZE, new InitialGuess(space.startInside(SIMPLEX_FRACTION_MARGIN)),
                    new NelderMeadSimplex(steps));
        } catch (TooManyEvaluationsException budgetSpent) {
            // the budget is the user's: keep the best point found within it
        }
        return space.gpu(best);
    }

    /** The optimizer's unbounded coordinates for the free parameters of a starting calibration. */
    private record Space(GpuSpec gpu, List<CalibrationParameter> free, String source) {

        double[] start() {
            double[] base = CalibrationParameter.vector(gpu.calibration());
            double[] x0 = new double[free.size()];
            for (int i = 0; i < free.size(); i++) {
                x0[i] = free.get(i).toFree(base[free.get(i).ordinal()]);
            }
            return x0;
        }

        /** The start with every fraction moved inside [margin, 1 − margin]. */
        double[] startInside(double margin) {
            double[] base = CalibrationParameter.vector(gpu.calibration());
            double[] x0 = new double[free.size()];
            for (int i = 0; i < free.size(); i++) {
                double v = base[free.get(i).ordinal()];
                x0[i] = free.get(i).toFree(free.get(i).isFraction() ? Math.min(Math.max(v, margin), 1 - margin) : v);
            }
            return x0;
        }

        GpuSpec gpu(double[] x) {
            GpuCalibration start = gpu.calibration();
            double[] v = CalibrationParameter.vector(start);
            for (int i = 0; i < free.size(); i++) {
                v[free.get(i).ordinal()] = free.get(i).fromFree(x[i]);
            }
            return gpu.withCalibration(CalibrationParameter.calibration(start, source, v));
        }
    }
}
