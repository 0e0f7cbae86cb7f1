package io.servesim.experiments.scenario;

import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.model.StepTimeProfileCsv;
import io.servesim.workloads.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/** A deployment can take its iteration times from a measured profile instead of the roofline. */
class MeasuredStepTimesTest {

    private static Path bundledProfile(Path dir) throws IOException {
        Path file = dir.resolve("profile.csv");
        try (InputStream in = StepTimeProfileCsv.class.getClassLoader().getResourceAsStream(StepTimeProfileCsv.BUNDLED_RESOURCE)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static Scenario scenario(DeploymentConfig deployment) {
        return new Scenario(3, deployment, EngineConfig.defaults(), SchedulerChoice.defaults(),
                Presets.load("stress").withRequests(3000).withRpsScale(10), Scenario.MetricsConfig.defaults());
    }

    @Test
    void aProfileTakenFromTheRooflineGivesTheRooflinesResultsWithinInterpolationError(@TempDir Path dir)
            throws IOException {
        // The bundled profile was generated from the roofline itself, so the only difference is the interpolation
        // between its points (docs/validation.md: under 3 % for pure prefill or decode iterations).
        DeploymentConfig roofline = DeploymentConfig.defaults();
        RunMetrics predicted = ScenarioRunner.run(scenario(roofline)).metrics();
        RunMetrics measured = ScenarioRunner.run(scenario(roofline.withStepTimeProfile(bundledProfile(dir).toString())))
                .metrics();
        assertThat(measured.completed()).isEqualTo(predicted.completed());
        assertThat(measured.tpot().mean()).isCloseTo(predicted.tpot().mean(), withinPercentage(5));
        assertThat(measured.ttft().p50()).isCloseTo(predicted.ttft().p50(), withinPercentage(10));
    }

    @Test
    void aProfileWithoutRowsForTheDeploymentIsRejectedNamingWhatItHas(@TempDir Path dir) throws IOException {
        String profile = bundledProfile(dir).toString();
        DeploymentConfig llama13b = DeploymentConfig.defaults().withModelAndGpu("Llama-2-13B", "H100-SXM")
                .withStepTimeProfile(profile);
        assertThatThrownBy(() -> ScenarioRunner.run(scenario(llama13b))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("deployment.step_time_profile").hasMessageContaining("Llama-2-13B")
                .hasMessageContaining("Llama-2-7B/H100-SXM/tp1");
    }

    @Test
    void aProfileMatchesTheDeploymentsNamesIgnoringCase(@TempDir Path dir) throws IOException {
        // the bundled profile's rows are for Llama-2-7B on H100-SXM at tp 1
        DeploymentConfig lowerCase = DeploymentConfig.defaults().withModelAndGpu("llama-2-7b", "h100-sxm")
                .withStepTimeProfile(bundledProfile(dir).toString());
        assertThat(lowerCase.profiledStepTimeModel()).isPresent();
    }
}
