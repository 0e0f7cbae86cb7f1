package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.Sla;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigErrorsTest {

    private static String profiles(String thirdPrompt) {
        return """
                requests: 10
                profiles:
                  - {name: a, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                  - {name: b, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                  - {name: c, rate_per_second: 1, prompt: %s, output: {type: fixed, value: 5}}
                """.formatted(thirdPrompt);
    }

    @Test
    void negativeSigmaIsReportedWithItsPath() {
        assertThatThrownBy(() -> WorkloadYaml.parse(profiles("{type: lognormal, mu: 6, sigma: -1}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[2].prompt.sigma must be > 0, got -1.0");
    }

    @Test
    void minAboveMaxNamesMax() {
        assertThatThrownBy(() -> WorkloadYaml.parse(profiles("{type: uniform, min: 300, max: 200}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[2].prompt.max must be >= min (300), got 200");
    }

    @Test
    void unknownDistributionNameListsTheKnownOnes() {
        assertThatThrownBy(() -> WorkloadYaml.parse(profiles("{type: lognorm, mu: 6, sigma: 1}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[2].prompt: unknown type 'lognorm'")
                .hasMessageContaining("lognormal");
    }

    @Test
    void unknownFieldIsRejected() {
        assertThatThrownBy(() -> WorkloadYaml.parse(profiles("{type: lognormal, mu: 6, sigma: 1, mean: 3}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[2].prompt.mean: unknown field 'mean'");
    }

    @Test
    void emptyProfileListIsRejected() {
        assertThatThrownBy(() -> WorkloadYaml.parse("requests: 10\nprofiles: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("profiles must not be empty");
    }

    @Test
    void sharesMustSumToOne() {
        String yaml = """
                rate_per_second: 10
                requests: 10
                profiles:
                  - {name: a, share: 0.5, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                  - {name: b, share: 0.4, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                """;
        assertThatThrownBy(() -> WorkloadYaml.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("profiles[*].share must sum to 1, got 0.9");
    }

    @Test
    void profileNeedsShareOrRate() {
        String yaml = """
                requests: 10
                profiles:
                  - {name: a, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                """;
        assertThatThrownBy(() -> WorkloadYaml.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].share or rate_per_second is required (exactly one of them), got neither");
    }

    @Test
    void onOffProfileMustNotGiveItsOwnRate() {
        String yaml = """
                requests: 10
                profiles:
                  - name: a
                    rate_per_second: 3
                    arrival: {type: on_off, burst_rate_per_second: 10, calm_rate_per_second: 1, mean_burst_seconds: 5, mean_calm_seconds: 5}
                    prompt: {type: fixed, value: 10}
                    output: {type: fixed, value: 5}
                """;
        assertThatThrownBy(() -> WorkloadYaml.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[0].rate_per_second must be left out");
    }

    @Test
    void workloadNeedsALimit() {
        String yaml = """
                profiles:
                  - {name: a, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}
                """;
        assertThatThrownBy(() -> WorkloadYaml.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests or duration_seconds is required");
    }

    @Test
    void slaFieldsDefaultIndividually() {
        WorkloadSpec spec = WorkloadYaml.parse("""
                requests: 10
                profiles:
                  - {name: a, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5},
                     sla: {ttft_seconds: 0.5}}
                """);
        assertThat(spec.profiles().get(0).sla().toSla())
                .isEqualTo(new Sla(0.5, 0.1, 0.2));
    }

    @Test
    void badSlaIsReportedWithItsPath() {
        assertThatThrownBy(() -> WorkloadYaml.parse("""
                requests: 10
                profiles:
                  - {name: a, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5},
                     sla: {tpot_seconds: -1}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].sla.tpot_seconds must be > 0, got -1.0");
    }

    @Test
    void normalWhoseWindowHoldsAlmostNoMassIsRejected() {
        assertThatThrownBy(() -> WorkloadYaml.parse(profiles("{type: normal, mu: -100, sigma: 10}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[2].prompt.mu and sigma must put at least 1%");
    }

    private static String closedLoop(String limits, String arrival, String extra) {
        return """
                %s
                profiles:
                  - name: clients
                    arrival: %s
                    prompt: {type: fixed, value: 10}
                    output: {type: fixed, value: 5}
                %s""".formatted(limits, arrival, extra);
    }

    @Test
    void closedLoopNeedsItsConcurrency() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10", "{type: closed_loop, think_time_seconds: 1}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].arrival.concurrency must be an integer >= 1, got null");
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10", "{type: closed_loop, concurrency: 0}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].arrival.concurrency must be an integer >= 1, got 0");
    }

    @Test
    void closedLoopThinkTimeMustBeANonNegativeNumberOfAKnownDistribution() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10",
                "{type: closed_loop, concurrency: 4, think_time_seconds: -1}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].arrival.think_time_seconds must be >= 0, got -1.0");
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10",
                "{type: closed_loop, concurrency: 4, think_time_distribution: gamma}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].arrival.think_time_distribution must be one of [constant, exponential], got gamma");
    }

    @Test
    void closedLoopNeedsARequestCount() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("duration_seconds: 60", "{type: closed_loop, concurrency: 4}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": " + "requests is required with a closed_loop arrival");
    }

    @Test
    void closedLoopHasNoRateToGiveOrScale() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10", "{type: closed_loop, concurrency: 4}",
                "    rate_per_second: 3\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[0].rate_per_second must be left out: a closed_loop profile has no arrival rate");
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10\nrps_scale: 2", "{type: closed_loop, concurrency: 4}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": " + "rps_scale must be 1 with a closed_loop arrival");
    }

    @Test
    void closedLoopIsTheOnlyProfile() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10", "{type: closed_loop, concurrency: 4}",
                "  - {name: open, rate_per_second: 1, prompt: {type: fixed, value: 10}, output: {type: fixed, value: 5}}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": " + "profiles must hold only the closed_loop profile");
    }

    @Test
    void closedLoopClientsSendSingleTurns() {
        assertThatThrownBy(() -> WorkloadYaml.parse(closedLoop("requests: 10", "{type: closed_loop, concurrency: 4}",
                "    session: {turns: {type: fixed, value: 3}, think_time_seconds: 1}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("profiles[0].session must be left out with a closed_loop arrival");
    }
}
