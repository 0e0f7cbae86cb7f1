package io.servesim.experiments.cli;

import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StudyCommandTest {

    @Test
    void heavyRunsTensorParallelWithAndWithoutChunkingAndExplainsWhyOneGpuDoesNotRun(@TempDir Path dir) {
        CliTestSupport.Result run = CliTestSupport.run("study", "heavy", "--requests", "400", "--quiet",
                "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // 70B in 16-bit weights is about 128 GiB: more than one H100's usable 72 GiB
        assertThat(run.out()).contains("1 GPU: not run").contains("does not fit on H100-SXM").contains("128.48 GiB")
                .contains("TP=8, whole prefill").contains("TP=8, chunked prefill").contains("success");
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("heavy_results.csv"));
        assertThat(rows).extracting(r -> r.get("config_label"))
                .containsExactly("TP=8, whole prefill", "TP=8, chunked prefill");
        assertThat(rows).extracting(r -> r.get("model")).containsOnly("Llama-2-70B");
        assertThat(rows).extracting(r -> r.get("gpus")).containsOnly("8");
        assertThat(rows).extracting(r -> r.get("step")).containsOnly("heavy");
        assertThat(dir.resolve("heavy_timings.csv")).isRegularFile();
        assertThat(dir.resolve("analysis.json")).isRegularFile();
        assertThat(dir.resolve("config.json")).content().contains("does not fit");
    }

    @Test
    void schedulersComparesParallelStreamStrategiesWithSimpleOverSeveralSeeds(@TempDir Path dir) {
        CliTestSupport.Result run = CliTestSupport.run("study", "schedulers", "--requests", "300", "--replications", "2",
                "--quiet", "--no-analysis", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("schedulers_results.csv"));
        assertThat(rows).hasSize(8);
        assertThat(rows).extracting(r -> r.get("scheduler")).containsOnly("simple", "parallel_stream");
        assertThat(rows).extracting(r -> r.get("seed")).doesNotHaveDuplicates();
        assertThat(run.out()).contains("simple", "parallel_stream round_robin", "parallel_stream smart",
                "parallel_stream balanced", "changes are against simple").containsPattern("\\([+-]\\d+\\.\\d%\\)");
    }

    @Test
    void anUnknownStudyExitsWithStatusTwoListingTheStudies(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliTestSupport.Result run = CliTestSupport.run("study", "parallelism_typo", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown study 'parallelism_typo'").contains("heavy, schedulers");
        assertThat(out).doesNotExist();
    }
}
