package io.servesim.experiments.validation;

import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.model.StepTimeProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The roofline model against a table of measured step times ({@link StepTimeProfile}): for each (model, GPU, TP)
 * group and each phase (prefill rows, decode rows), the mean of the roofline's predictions, the mean of the
 * measurements, and the mean over the rows of |roofline − measured| / measured. The roofline of a group is the
 * one a deployment of that model on one replica of that GPU and TP degree would use (default topology).
 */
final class StepTimePhysicsChecks {
    private StepTimePhysicsChecks() {
    }

    static List<ValidationCheck> rooflineAgainst(List<StepTimeProfile> profiles, Catalog catalog, double tolerance) {
        List<ValidationCheck> checks = new ArrayList<>();
        for (StepTimeProfile profile : profiles) {
            StepTimeModel roofline = roofline(profile, catalog);
            for (boolean prefill : new boolean[] {true, false}) {
                double predictedSum = 0;
                double measuredSum = 0;
                double errorSum = 0;
                int count = 0;
                for (StepTimeProfile.Point point : profile.points()) {
                    if (point.isPrefill() != prefill) {
                        continue;
                    }
                    double predictedMs = roofline.stageSeconds(point.shape()) * 1e3;
                    predictedSum += predictedMs;
                    measuredSum += point.timeMs();
                    errorSum += Math.abs(predictedMs - point.timeMs()) / point.timeMs();
                    count++;
                }
                checks.add(new ValidationCheck(String.format(Locale.ROOT, "physics: roofline vs %s %s step time (%d rows, mean)",
                        profile.label(), prefill ? "prefill" : "decode", count), predictedSum / count, measuredSum / count,
                        "ms", errorSum / count, tolerance));
            }
        }
        return checks;
    }

    private static StepTimeModel roofline(StepTimeProfile profile, Catalog catalog) {
        try {
            return DeploymentConfig.defaults().withModelAndGpu(profile.model(), profile.gpu())
                    .withParallelism(profile.tp(), 1, 1).resolve(catalog).stepTimeModel(0);
        } catch (ConfigException e) {
            throw new ConfigException("profile " + profile.label() + ": " + e.getMessage(), e);
        }
    }
}
