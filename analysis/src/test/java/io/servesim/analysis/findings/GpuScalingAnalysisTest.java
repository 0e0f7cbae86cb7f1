package io.servesim.analysis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.servesim.analysis.ResultsFixture;
import io.servesim.analysis.ResultsSchema;
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
        StepFindings step = FindingsOfFixture.of(fixture, dir, "comprehensive_stress_results_step2_gpu_scaling.csv")
                .steps().get(0);
        assertThat(step.kind()).isEqualTo(StepKind.GPU_SCALING);
        return step.gpuScaling().series().get(0);
    }

    @Test
    void efficiencyIsThroughputPerGpuRelativeToSmallestCount() {
        // T = 100, 190, 360 on 1, 2, 4 GPUs: efficiency(2) = (190/2)/(100/1) = 0.95, efficiency(4) = (360/4)/100 = 0.90
        GpuSeries series = ladder(100, 190, 360);

        assertThat(series.points()).extracting(p -> p.efficiency())
                .containsExactly(1.0, 0.95, 0.90);
        assertThat(series.points().get(2).throughputPerGpu()).isEqualTo(90.0, within(1e-12));
    }

    @Test
    void saturationPointIsFirstCountPastWhichNextCountAddsUnderTenPercentGoodput() {
        // goodput 100, 190, 360, 400, 410 on 1, 2, 4, 8, 16 GPUs
        // gains: +90 %, +89.5 %, +11.1 %, +2.5 % → first gain < 10 % is 8 → 16, so the saturation point is 8 GPUs
        GpuSeries series = ladder(100, 190, 360, 400, 410);

        assertThat(series.saturationPointGpus()).isEqualTo(8);
        assertThat(series.points().get(4).goodputGainFromPrevious().gain()).isEqualTo(0.025, within(1e-12));
    }

    @Test
    void bestGpuCountIsSmallestWithinFivePercentOfBestGoodput() {
        // goodput 100, 190, 360, 380, 410: 4 → 8 adds +5.6 % < 10 % → saturation point 4 GPUs
        // best goodput 410 at 16; 95 % of it = 389.5; 380 < 389.5, so the best GPU count is 16
        GpuSeries series = ladder(100, 190, 360, 380, 410);

        assertThat(series.saturationPointGpus()).isEqualTo(4);
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
    void ladderThatKeepsScalingHasNoSaturationPoint() {
        // goodput 100, 200, 400: every step doubles, never < 10 %
        assertThat(ladder(100, 200, 400).saturationPointGpus()).isNull();
    }
}
