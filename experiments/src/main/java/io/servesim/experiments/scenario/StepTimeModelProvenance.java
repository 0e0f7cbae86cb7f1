package io.servesim.experiments.scenario;

import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.hardware.GpuCalibration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What config.json says about the step-time model of a run ({@code step_time_model}): its name — a measured profile,
 * or the calibrated model of the deployment's GPU with where its coefficients come from — and the error of that
 * calibration on held-out measurements, which the findings quote.
 */
public final class StepTimeModelProvenance {
    private StepTimeModelProvenance() {
    }

    /** {@code {name, validated_error}} for {@code deployment}. */
    public static Map<String, String> of(DeploymentConfig deployment) {
        Map<String, String> provenance = new LinkedHashMap<>();
        if (deployment.stepTimeProfile() != null) {
            provenance.put("name", "measured step-time profile " + deployment.stepTimeProfile());
            provenance.put("validated_error", "the profile's own measurements, interpolated");
            return provenance;
        }
        String gpu = deployment.loadCatalog().gpu(deployment.gpu()).name();
        GpuCalibration calibration = deployment.loadCatalog().gpu(deployment.gpu()).calibration();
        provenance.put("name", "calibrated roofline on " + gpu + " (" + calibration.source() + ")");
        provenance.put("validated_error", calibration.validatedError());
        return provenance;
    }
}
