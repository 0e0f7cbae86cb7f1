package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.findings.FindingRecords.BaselineComparison;
import io.servesim.analysis.findings.FindingRecords.Ranked;
import io.servesim.analysis.findings.FindingRecords.VolumeRanking;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestScalingAnalysisTest {

    @TempDir
    Path dir;

    private VolumeRanking volumeOfThreeSchedulers() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().scheduler("dynamic").gpus(2).served(100).e2eP95(2.0);
        fixture.row().scheduler("multi_bin").k(4).gpus(2).served(120).e2eP95(1.5);
        fixture.row().scheduler("static").gpus(2).served(130).e2eP95(0.5).saturated(1.8);
        Findings findings = FindingsOfFixture.of(fixture, dir, "comprehensive_stress_results_step1_request_scaling.csv");
        return findings.steps().get(0).requestScaling().volumes().get(0);
    }

    @Test
    void throughputRankingIncludesEveryConfiguration() {
        VolumeRanking volume = volumeOfThreeSchedulers();

        assertThat(volume.requests()).isEqualTo(1000);
        assertThat(volume.byThroughput()).extracting(Ranked::configuration)
                .containsExactly("static on 2 GPUs", "multi_bin K=4 on 2 GPUs", "dynamic on 2 GPUs");
    }

    @Test
    void latencyRankingExcludesSaturatedConfigurations() {
        // static has the lowest p95 (0.5 s) but is saturated: its latency measures the run length
        VolumeRanking volume = volumeOfThreeSchedulers();

        assertThat(volume.byP95E2e()).extracting(Ranked::configuration)
                .containsExactly("multi_bin K=4 on 2 GPUs", "dynamic on 2 GPUs");
        assertThat(volume.excludedFromLatencyRanking()).containsExactly("static on 2 GPUs");
    }

    @Test
    void gainsAreRelativeToDynamicBaseline() {
        // multi_bin: throughput 120/100 − 1 = +20 %, p95 1.5/2.0 − 1 = −25 %
        // static: throughput 130/100 − 1 = +30 %, p95 not compared (saturated)
        VolumeRanking volume = volumeOfThreeSchedulers();

        BaselineComparison multiBin = volume.versusBaseline().get(0);
        assertThat(multiBin.configuration()).isEqualTo("multi_bin K=4 on 2 GPUs");
        assertThat(multiBin.baseline()).isEqualTo("dynamic on 2 GPUs");
        assertThat(multiBin.throughput().gain()).isEqualTo(0.20, within(1e-12));
        assertThat(multiBin.p95E2e().gain()).isEqualTo(-0.25, within(1e-12));
        BaselineComparison saturated = volume.versusBaseline().get(1);
        assertThat(saturated.throughput().gain()).isEqualTo(0.30, within(1e-12));
        assertThat(saturated.p95E2e()).isNull();
        assertThat(saturated.p95Note()).contains("static on 2 GPUs is saturated");
    }
}
