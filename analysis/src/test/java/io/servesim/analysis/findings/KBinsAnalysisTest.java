package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.ResultsSchema;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KBinsAnalysisTest {

    @TempDir
    Path dir;

    private KSeries ladder(int[] ks, double[] throughput) {
        ResultsFixture fixture = new ResultsFixture();
        for (int i = 0; i < ks.length; i++) {
            fixture.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("multi_bin").gpus(4).k(ks[i])
                    .served(throughput[i]);
        }
        fixture.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("dynamic").gpus(4).served(50);
        return FindingsOfFixture.of(fixture, dir, "comprehensive_stress_results_step3_kbins_sensitivity.csv")
                .steps().get(0).kBins().series().get(0);
    }

    @Test
    void plateauRecommendedAndBestKFollowTheirRules() {
        // T = 100, 110, 115, 115.5, 116 at K = 1, 2, 4, 8, 16
        // gains per doubling: +10 %, +4.545 %, +0.435 % (4 → 8, < 1 %) → plateau at K = 4
        // best T = 116 at K = 16; 99 % of it = 114.84 ≤ 115 → recommended K = 4
        KSeries series = ladder(new int[] {1, 2, 4, 8, 16}, new double[] {100, 110, 115, 115.5, 116});

        assertThat(series.points()).hasSize(5);
        assertThat(series.points().get(1).gainPerDoubling()).isEqualTo(0.10, within(1e-12));
        assertThat(series.points().get(2).gainPerDoubling()).isEqualTo(115.0 / 110 - 1, within(1e-12));
        assertThat(series.plateauK()).isEqualTo(4);
        assertThat(series.recommendedK()).isEqualTo(4);
        assertThat(series.bestK()).isEqualTo(16);
    }

    @Test
    void gainPerDoublingNormalisesLadderStepsLargerThanADoubling() {
        // K = 1 → 4 is two doublings; T 100 → 121: (121/100)^(1/2) − 1 = 0.10 per doubling
        KSeries series = ladder(new int[] {1, 4}, new double[] {100, 121});

        assertThat(series.points().get(1).gainFromPrevious().gain()).isEqualTo(0.21, within(1e-12));
        assertThat(series.points().get(1).gainPerDoubling()).isEqualTo(0.10, within(1e-12));
        assertThat(series.plateauK()).isNull();
        assertThat(series.recommendedK()).isEqualTo(4);
    }
}
