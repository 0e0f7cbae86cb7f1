package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationAggregatorTest {

    @TempDir
    Path dir;

    @Test
    void replicationsOfOneCellBecomeOneConfigurationWithTInterval() {
        // throughput of r0, r1, r2 = 10, 12, 14 → mean 12, 95 % CI 12 ± 4.302653 · 2 / √3 = [7.031725, 16.968275]
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().replication(0).served(10);
        fixture.row().replication(1).served(12);
        fixture.row().replication(2).served(14).saturated(1.3);

        StepFindings step = FindingsOfFixture.onlyStep(fixture, dir);

        assertThat(step.configurations()).hasSize(1);
        ConfigSummary config = step.configurations().get(0);
        assertThat(config.configKey()).isEqualTo("step1-dynamic-g1-n1000");
        assertThat(config.replications()).isEqualTo(3);
        assertThat(config.metric("throughput_rps").ciLow()).isEqualTo(7.031725, within(1e-6));
        assertThat(config.metric("throughput_rps").ciHigh()).isEqualTo(16.968275, within(1e-6));
        assertThat(config.saturated()).as("saturated in one replication").isTrue();
        assertThat(config.saturatedReplications()).isEqualTo(1);
    }
}
