package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsCsvLoader;
import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.findings.FindingRecords.Capacity;
import io.servesim.analysis.findings.FindingRecords.SaturatedConfiguration;
import io.servesim.analysis.findings.FindingRecords.Tail;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLevelAnalysisTest {

    @TempDir
    Path dir;

    @Test
    void capacityPerGpuDividesCapacityUnderSlaByGpus() {
        // 40 req/s on 4 GPUs = 10 req/s per GPU; 15 req/s on 1 GPU = 15 per GPU → ranked first
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().scheduler("dynamic").gpus(4).set("capacity_rps_under_sla", 40);
        fixture.row().scheduler("multi_bin").k(2).gpus(1).set("capacity_rps_under_sla", 15);

        StepFindings step = FindingsOfFixture.onlyStep(fixture, dir);

        assertThat(step.capacity()).extracting(Capacity::configuration)
                .containsExactly("multi_bin K=2 on 1 GPUs", "dynamic on 4 GPUs");
        assertThat(step.capacity().get(1).capacityRpsPerGpu()).isEqualTo(10.0, within(1e-12));
    }

    @Test
    void capacitiesWithinTheSearchToleranceAreTiedInTheRanking() {
        // per GPU: 20, 19.5, 19.2, 15 req/s; default tolerance 5 %: 20 / 1.05 = 19.05, so 19.5 and 19.2 tie with 20
        // (rank 1) and 15 starts rank 4
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().scheduler("dynamic").gpus(1).set("capacity_rps_under_sla", 20);
        fixture.row().scheduler("multi_bin").k(2).gpus(1).set("capacity_rps_under_sla", 19.5);
        fixture.row().scheduler("multi_bin").k(4).gpus(2).set("capacity_rps_under_sla", 38.4);
        fixture.row().scheduler("static").gpus(1).set("capacity_rps_under_sla", 15);
        StepFindings step = FindingsOfFixture.onlyStep(fixture, dir);

        assertThat(step.capacity()).extracting(Capacity::rank).containsExactly(1, 1, 1, 4);
    }

    @Test
    void absentCapacityAndKBinsColumnsAreReadAsEmpty() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().step("mixed_workload").scheduler("dynamic").gpus(4);
        fixture.writeWithout(dir, "study_results.csv", "capacity_rps_under_sla", "k_bins");

        StepFindings step = new FindingsCalculator()
                .calculate(new ResultsCsvLoader().loadResults(dir)).steps().get(0);

        assertThat(step.capacity()).isEmpty();
        assertThat(step.configurations().get(0).kBins()).isNull();
        assertThat(step.kind()).isEqualTo(StepKind.COMPARISON);
    }

    @Test
    void saturatedConfigurationsAreListedWithOverloadRatio() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().scheduler("static").saturated(2.5);
        fixture.row().scheduler("dynamic");

        StepFindings step = FindingsOfFixture.onlyStep(fixture, dir);

        assertThat(step.saturated()).extracting(SaturatedConfiguration::configuration).containsExactly("static on 1 GPUs");
        assertThat(step.saturated().get(0).overloadRatio()).isEqualTo(2.5);
    }

    @Test
    void ttftP95AboveDeadlineWithLowRequestViolationRateIsADataError() {
        // p95 TTFT 6 s > deadline 5 s means > 5 % of requests missed TTFT, yet the violation rate says 1 %
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().scheduler("dynamic").set("ttft_p95_s", 6.0).set("sla_request_violation_rate", 0.01);
        fixture.row().scheduler("multi_bin").k(4).set("ttft_p95_s", 6.0).set("sla_request_violation_rate", 0.20)
                .set("sla_norm_violation_rate", 0.08);

        FindingRecords.Sla sla = FindingsOfFixture.onlyStep(fixture, dir).sla();

        assertThat(sla.ttftP95AboveDeadline()).containsExactly("dynamic on 1 GPUs", "multi_bin K=4 on 1 GPUs");
        assertThat(sla.dataErrors()).containsExactly("dynamic on 1 GPUs");
        assertThat(sla.requestViolationAboveLimit()).containsExactly("multi_bin K=4 on 1 GPUs");
        assertThat(sla.normViolationAboveLimit()).containsExactly("multi_bin K=4 on 1 GPUs");
    }

    @Test
    void tailRatiosAreP99OverP50() {
        // e2e p99 / p50 = 12 / 3 = 4; TTFT p99 / p50 = 0.9 / 0.3 = 3
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().set("e2e_p50_s", 3).set("e2e_p99_s", 12).set("ttft_p50_s", 0.3).set("ttft_p99_s", 0.9);

        Tail tail = FindingsOfFixture.onlyStep(fixture, dir).tails().get(0);

        assertThat(tail.e2eP99OverP50()).isEqualTo(4.0, within(1e-12));
        assertThat(tail.ttftP99OverP50()).isEqualTo(3.0, within(1e-12));
    }
}
