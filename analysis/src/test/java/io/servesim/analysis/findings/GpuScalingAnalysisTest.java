package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.ResultsSchema;
import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuScalingAnalysisTest {

    @TempDir
    Path dir;

    private GpuSeries ladder(double... goodput) {
        ResultsFixture fixture = new ResultsFixture();
        int gpus = 1;
        for (double g : goodput) {
            fixture.row().step(ResultsSchema.STEP_GPU_SCALING).scheduler("multi_bin").k(4).gpus(gpus).served(g);
            gpus *= 2;
        }
        return series(fixture);
    }

    private GpuSeries series(ResultsFixture fixture) {
        StepFindings step = FindingsOfFixture.of(fixture, dir, "comprehensive_stress_results_step2_gpu_scaling.csv")
                .steps().get(0);
        assertThat(step.kind()).isEqualTo(StepKind.GPU_SCALING);
        return step.gpuScaling().series().get(0);
    }

    /**
     * The default plan's shape: 200 req/s offered to every count; 1–8 GPUs saturated (≈ 20 req/s per GPU, then a
     * little less), 16 and 32 GPUs keep up and serve the 200 req/s.
     */
    private GpuSeries fixedLoadLadder() {
        ResultsFixture fixture = new ResultsFixture();
        double[] throughput = {20, 40, 78, 133, 199.6, 199.7};
        double[] goodput = {0.1, 1.3, 10.2, 80.4, 199.0, 199.2};
        for (int i = 0; i < throughput.length; i++) {
            ResultsFixture.Row row = fixture.row().step(ResultsSchema.STEP_GPU_SCALING).scheduler("multi_bin").k(4)
                    .gpus(1 << i).throughput(throughput[i]).goodput(goodput[i]).offered(200);
            if (i < 4) {
                row.saturated(200 / throughput[i]);
            }
        }
        return series(fixture);
    }

    @Test
    void capacityEfficiencyIsThroughputPerGpuOfSaturatedCountsRelativeToTheSmallestSaturatedCount() {
        // saturated T = 20, 40, 78, 133 on 1, 2, 4, 8 GPUs: per GPU 20, 20, 19.5, 16.625 → 1, 1, 0.975, 0.83125;
        // 16 and 32 GPUs keep up: no capacity to compare, no efficiency
        GpuSeries series = fixedLoadLadder();

        assertThat(series.points()).extracting(GpuPoint::capacityEfficiency)
                .containsExactly(1.0, 1.0, 0.975, 0.83125, null, null);
        assertThat(series.saturatedGpus()).containsExactly(1, 2, 4, 8);
        assertThat(series.keepsUpFromGpus()).isEqualTo(16);
        assertThat(series.offeredRps()).isEqualTo(200.0);
        assertThat(series.points().get(4).offeredRpsPerGpu()).isEqualTo(200.0 / 16);
    }

    @Test
    void goodputChangeFromANearZeroBaseIsMarkedSoNoPercentageOfItIsPrinted() {
        // goodput 0.1 → 1.3: +1,200 % of a base under 5 % of the best goodput (199.2), so marked; 80.4 → 199.0 is not
        GpuSeries series = fixedLoadLadder();

        assertThat(series.points().get(1).goodputGainFromPrevious().baseNearZero()).isTrue();
        assertThat(series.points().get(1).goodputGainFromPrevious().difference()).isEqualTo(1.2, within(1e-9));
        assertThat(series.points().get(4).goodputGainFromPrevious().baseNearZero()).isFalse();
    }

    @Test
    void everyCountKeepingUpMeansNoSaturatedCountAndNoEfficiency() {
        GpuSeries series = ladder(100, 190, 360);

        assertThat(series.saturatedGpus()).isEmpty();
        assertThat(series.keepsUpFromGpus()).isEqualTo(1);
        assertThat(series.points()).extracting(GpuPoint::capacityEfficiency).containsOnlyNulls();
        assertThat(series.points().get(2).throughputPerGpu()).isEqualTo(90.0, within(1e-12));
    }

    @Test
    void goodputLevelsOffPastTheFirstCountAfterWhichTheNextAddsUnderTenPercent() {
        // goodput 100, 190, 360, 400, 410 on 1, 2, 4, 8, 16 GPUs
        // gains: +90 %, +89.5 %, +11.1 %, +2.5 % → first gain < 10 % is 8 → 16, so goodput levels off past 8 GPUs
        GpuSeries series = ladder(100, 190, 360, 400, 410);

        assertThat(series.goodputLevelsOffGpus()).isEqualTo(8);
        assertThat(series.points().get(4).goodputGainFromPrevious().gain()).isEqualTo(0.025, within(1e-12));
    }

    @Test
    void bestGpuCountIsSmallestWithinFivePercentOfBestGoodput() {
        // goodput 100, 190, 360, 380, 410: best goodput 410 at 16; 95 % of it = 389.5; 380 < 389.5 → 16
        GpuSeries series = ladder(100, 190, 360, 380, 410);

        assertThat(series.goodputLevelsOffGpus()).isEqualTo(4);
        assertThat(series.bestGpus()).isEqualTo(16);
        assertThat(series.maxGoodputGpus()).isEqualTo(16);
    }

    @Test
    void bestGpuCountPrefersSmallerCountWithinTolerance() {
        // goodput 100, 190, 400, 410: 95 % of 410 = 389.5 ≤ 400 → best GPU count 4 although 8 GPUs is highest
        GpuSeries series = ladder(100, 190, 400, 410);

        assertThat(series.bestGpus()).isEqualTo(4);
        assertThat(series.maxGoodputGpus()).isEqualTo(8);
    }

    @Test
    void ladderThatKeepsAddingGoodputDoesNotLevelOff() {
        assertThat(ladder(100, 200, 400).goodputLevelsOffGpus()).isNull();
    }
}
