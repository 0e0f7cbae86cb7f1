package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.ResultsSchema;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import io.servesim.analysis.findings.FindingRecords.KVerdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KBinsAnalysisTest {

    @TempDir
    Path dir;

    private static ResultsFixture.Row row(ResultsFixture fixture, int k, int replication) {
        return fixture.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("multi_bin").gpus(8).k(k)
                .replication(replication);
    }

    private KSeries series(ResultsFixture fixture) {
        fixture.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("dynamic").gpus(8).served(50);
        return FindingsOfFixture.of(fixture, dir, "comprehensive_stress_results_step3_kbins_sensitivity.csv")
                .steps().get(0).kBins().series().get(0);
    }

    @Test
    void identicalRowsRecommendNoK() {
        // the default plan at 16 GPUs: every K serves the whole load with the same requests, to the last digit
        ResultsFixture fixture = new ResultsFixture();
        for (int k : new int[] {1, 2, 4, 8, 16, 32}) {
            row(fixture, k, 0).throughput(199.65362981441373).goodput(199.1).set("queue_delay_p95_s", 0.002);
        }
        KSeries series = series(fixture);

        assertThat(series.verdict()).isEqualTo(KVerdict.IDENTICAL);
        assertThat(series.recommendedK()).isNull();
        assertThat(series.reason()).contains("same", "queues hardly form");
    }

    @Test
    void differencesThatAreNotSignificantAcrossReplicationsRecommendNoK() {
        // three replications; K = 2 is 1 % better in goodput on average but −2 %, +1 %, +4 % replication by
        // replication: the paired interval contains 0, so no K is recommended (an earlier rule picked K = 2)
        ResultsFixture fixture = new ResultsFixture();
        double[] base = {100, 110, 90};
        double[] k2 = {98, 111.1, 93.6};
        for (int r = 0; r < 3; r++) {
            row(fixture, 1, r).served(base[r]);
            row(fixture, 2, r).served(k2[r]);
            row(fixture, 4, r).served(base[r] * (r == 1 ? 1.02 : 0.99));
        }
        KSeries series = series(fixture);

        assertThat(series.replications()).isEqualTo(3);
        assertThat(series.points().get(1).goodputVsBase().significant()).isFalse();
        assertThat(series.points().get(1).goodputVsBase().paired()).isTrue();
        assertThat(series.verdict()).isEqualTo(KVerdict.NO_SIGNIFICANT_DIFFERENCE);
        assertThat(series.recommendedK()).isNull();
        assertThat(series.reason()).contains("significantly", "3 replications");
    }

    @Test
    void kIsJudgedOnGoodputWhenThroughputIsWithinOnePercent() {
        // the 8-GPU line: throughput 134.2, 132.8, 133.3, 131.5 (within 2 %), goodput 68.1, 70.0, 80.4, 80.0.
        // Single run: K = 2 adds +2.8 % goodput (< 5 %: does not count); K = 4 adds +18.1 % and K = 8 +17.5 %: both
        // better. Best better K = 4; K = 8 is −0.5 % below it (does not count), so the smallest, K = 4, is recommended.
        ResultsFixture fixture = new ResultsFixture();
        double[] throughput = {134.2, 132.8, 133.3, 131.5};
        double[] goodput = {68.1, 70.0, 80.4, 80.0};
        int[] ks = {1, 2, 4, 8};
        for (int i = 0; i < ks.length; i++) {
            row(fixture, ks[i], 0).throughput(throughput[i]).goodput(goodput[i]).saturated(1.2);
        }
        KSeries series = series(fixture);

        assertThat(series.verdict()).isEqualTo(KVerdict.RECOMMENDED);
        assertThat(series.recommendedK()).isEqualTo(4);
        assertThat(series.bestGoodputK()).isEqualTo(4);
        assertThat(series.points()).extracting(FindingRecords.KPoint::better).containsExactly(false, false, true, true);
        assertThat(series.points().get(2).ttftP95VsBase()).as("saturated cells' TTFT is not compared").isNull();
        assertThat(series.reason()).contains("raises goodput", "single run");
    }

    @Test
    void replicationsPairedOnCommonRandomNumbersShowAConsistentGainThatAnUnpairedTestMisses() {
        // goodput of K = 1 varies a lot between replications (workloads differ): 50, 80, 110; K = 2 is ≈ 10 % above it
        // in each: 55, 88.5, 120.5. Unpaired, the means 80 and 88 are within each other's noise; paired, the ratio
        // is 1.10 ± a little in every replication, so the gain is significant and K = 2 is recommended.
        ResultsFixture fixture = new ResultsFixture();
        double[] base = {50, 80, 110};
        double[] k2 = {55, 88.5, 120.5};
        for (int r = 0; r < 3; r++) {
            row(fixture, 1, r).served(base[r]);
            row(fixture, 2, r).served(k2[r]);
        }
        KSeries series = series(fixture);
        RelativeGain paired = series.points().get(1).goodputVsBase();
        RelativeGain unpaired = ReplicationStatistics.relativeGain("goodput_rps",
                ReplicationStatistics.estimate(k2), ReplicationStatistics.estimate(base));

        assertThat(unpaired.significant()).isFalse();
        assertThat(paired.paired()).isTrue();
        assertThat(paired.significant()).isTrue();
        assertThat(series.recommendedK()).isEqualTo(2);
    }

    @Test
    void lowerTtftWithTheSameGoodputIsBetterBetweenUnsaturatedCells() {
        // goodput within 1 %, p95 TTFT 2.0 s → 1.5 s (−25 %, ≥ 10 %), throughput the same: K = 4 is better
        ResultsFixture fixture = new ResultsFixture();
        row(fixture, 1, 0).served(100).set("ttft_p95_s", 2.0);
        row(fixture, 4, 0).served(100.5).set("ttft_p95_s", 1.5);
        KSeries series = series(fixture);

        assertThat(series.verdict()).isEqualTo(KVerdict.RECOMMENDED);
        assertThat(series.recommendedK()).isEqualTo(4);
        assertThat(series.reason()).contains("lowers p95 TTFT");
    }
}
