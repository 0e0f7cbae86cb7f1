package io.servesim.experiments.scenario;

import io.servesim.core.setup.DeploymentConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepTimeModelProvenanceTest {

    @Test
    void aCalibratedGpuIsNamedWithItsSourceAndValidatedError() {
        var provenance = StepTimeModelProvenance.of(DeploymentConfig.defaults());
        assertThat(provenance.get("name")).startsWith("calibrated roofline on H100-SXM (kernels fitted on LLMServingSim");
        assertThat(provenance.get("validated_error")).startsWith("held-out median |error| (p90): iteration");
    }

    @Test
    void aGpuWithoutHeldOutDataSaysItWasNotValidated() {
        var provenance = StepTimeModelProvenance.of(DeploymentConfig.defaults().withModelAndGpu("Llama-2-7B", "l40s"));
        assertThat(provenance.get("name")).startsWith("calibrated roofline on L40S (kernel and vLLM engine coefficients carried over from H100-SXM");
        assertThat(provenance.get("validated_error")).isEqualTo("not validated on held-out measurements");
    }

    @Test
    void aGpuJudgedOnlyEndToEndSaysSo() {
        // H200 carries H100-SXM's coefficients; its own measurements are end-to-end benchmark rows, none fitted
        var provenance = StepTimeModelProvenance.of(DeploymentConfig.defaults().withModelAndGpu("Llama-2-7B", "H200"));
        assertThat(provenance.get("name")).contains("carried over from H100-SXM");
        assertThat(provenance.get("validated_error")).startsWith("end to end (AIConfigurator silicon sample")
                .contains("without front ends");
    }

    @Test
    void aMeasuredProfileIsNamedAsSuch() {
        var provenance = StepTimeModelProvenance.of(DeploymentConfig.defaults().withStepTimeProfile("mine.csv"));
        assertThat(provenance.get("name")).isEqualTo("measured step-time profile mine.csv");
    }
}
