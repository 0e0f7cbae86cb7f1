package io.servesim.experiments.scenario;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import io.servesim.experiments.scenario.ScenarioRunner.SharedParts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run with shared parts and no overrides is composed without an injector ({@link ScenarioRunner#composeDirectly});
 * it must be the run the Guice modules compose, request for request and counter for counter.
 */
class ScenarioRunnerCompositionTest {
    private static final SharedParts SHARED = SharedParts.of(Catalog.load());

    /**
     * Each example on a few hundred requests, with the parts the composition passes along made to matter: routers
     * that draw from the context's seed (random, power of two), policies that read the context's output quantiles
     * and TPOT deadline (multi-bin with bin affinity, dynamic), a closed loop, replica groups of two GPU types, a
     * pipeline, a mixture of experts, and pools (disaggregated).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "scenario.yaml                     | deployment.replicas=4;router.type=power_of_two",
        "scenario.yaml                     | deployment.replicas=3;router.type=random;scheduler.type=dynamic",
        "scenario-multibin-cluster.yaml    | router.type=bin_affinity",
        "scenario-closed-loop.yaml         | ''",
        "scenario-mixed-gpus.yaml          | ''",
        "scenario-pipeline-llama3-70b.yaml | ''",
        "scenario-moe-mixtral.yaml         | ''",
        "scenario-disaggregated.yaml       | ''",
    })
    void composingWithoutAnInjectorGivesTheRunTheModulesCompose(String example, String settings) {
        Scenario read = Scenario.read(Path.of("../docs/examples", example),
                settings.isEmpty() ? List.of() : Arrays.asList(settings.split(";")));
        Scenario scenario = read.withWorkload(read.workload().withRequests(400));

        ScenarioRun injected = ScenarioRunner.run(scenario);
        ScenarioRun direct = ScenarioRunner.run(scenario, SHARED);

        assertThat(direct.metrics().arrived()).isPositive();
        assertThat(RunFingerprint.of(direct.result())).isEqualTo(RunFingerprint.of(injected.result()));
        assertThat(direct.metrics().columns()).isEqualTo(injected.metrics().columns());
    }
}
