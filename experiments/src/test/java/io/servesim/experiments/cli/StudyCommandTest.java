package io.servesim.experiments.cli;

import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.report.GpuUsageCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class StudyCommandTest {

    @Test
    void heavyRunsTensorParallelWithAndWithoutChunkingAndExplainsWhyOneGpuDoesNotRun(@TempDir Path dir) {
        CliTestSupport.Result run = CliTestSupport.run("study", "heavy", "--model", "Llama-2-70B", "--requests", "400",
                "--quiet", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // 70B in 16-bit weights is about 128 GiB: more than one H100's usable 72 GiB
        assertThat(run.out()).contains("1 GPU, whole prefill: not run", "1 GPU, chunked prefill: not run").contains("does not fit on H100-SXM").contains("128.48 GiB")
                .contains("TP=8, whole prefill").contains("TP=8, chunked prefill").contains("success");
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("heavy_results.csv"));
        assertThat(rows).extracting(r -> r.get("config_label"))
                .containsExactly("TP=8, whole prefill", "TP=8, chunked prefill");
        assertThat(rows).extracting(r -> r.get("model")).containsOnly("Llama-2-70B");
        assertThat(rows).extracting(r -> r.get("gpus")).containsOnly("8");
        assertThat(rows).extracting(r -> r.get("step")).containsOnly("heavy");
        assertThat(dir.resolve("heavy_timings.csv")).isRegularFile();
        assertThat(dir.resolve("analysis.json")).isRegularFile();
        assertThat(dir.resolve("INCOMPLETE")).as("a finished study folder has no INCOMPLETE marker").doesNotExist();
        assertThat(dir.resolve("config.json")).content().contains("does not fit");
    }

    @Test
    void heavyByDefaultComparesOneGpuWithTensorParallelEightOnAModelThatFitsBoth(@TempDir Path dir) {
        // Llama-3-8B fits one H100 and has the 8K context the heavy prompts need; the heavy preset's 60 req/s
        // overloads one GPU, so TP=8 serves more and answers sooner.
        CliTestSupport.Result run = CliTestSupport.run("study", "heavy", "--requests", "2000", "--quiet", "--no-analysis",
                "--out", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("heavy_results.csv"));
        assertThat(rows).extracting(r -> r.get("config_label")).containsExactly("1 GPU, whole prefill",
                "1 GPU, chunked prefill", "TP=8, whole prefill", "TP=8, chunked prefill");
        assertThat(rows).extracting(r -> r.get("model")).containsOnly("Llama-3-8B");
        double oneGpu = Double.parseDouble(rows.get(0).get("throughput_rps"));
        double tp8 = Double.parseDouble(rows.get(2).get("throughput_rps"));
        assertThat(tp8).isGreaterThan(oneGpu);
        assertThat(Double.parseDouble(rows.get(2).get("ttft_p50_s"))).isLessThan(Double.parseDouble(rows.get(0).get("ttft_p50_s")));
    }

    @Test
    void schedulersComparesParallelStreamStrategiesWithSimpleOverSeveralSeeds(@TempDir Path dir) {
        CliTestSupport.Result run = CliTestSupport.run("study", "schedulers", "--requests", "300", "--replications", "2",
                "--quiet", "--no-analysis", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("schedulers_results.csv"));
        assertThat(rows).hasSize(8);
        assertThat(rows).extracting(r -> r.get("scheduler")).containsOnly("simple", "parallel_stream");
        // One seed per replication, shared by the four configurations (common random numbers).
        assertThat(rows.stream().collect(Collectors.groupingBy(r -> r.get("replication"),
                Collectors.mapping(r -> r.get("seed"), Collectors.toSet())))).hasSize(2)
                .allSatisfy((replication, seeds) -> assertThat(seeds).hasSize(1));
        assertThat(rows).extracting(r -> r.get("seed")).containsOnly(rows.get(0).get("seed"), rows.get(7).get("seed"));
        assertThat(rows.get(0).get("seed")).isNotEqualTo(rows.get(7).get("seed"));
        assertThat(run.out()).contains("simple", "parallel_stream round_robin", "parallel_stream smart",
                "parallel_stream balanced", "changes are against simple").containsPattern("\\([+-]\\d+\\.\\d%\\)");
    }

    @Test
    void parallelismWritesARowPerLayoutThatFitsAndARowPerGpuAndExplainsTheLayoutsThatDoNot(@TempDir Path dir) {
        CliTestSupport.Result run = CliTestSupport.run("study", "parallelism", "--requests", "200", "--quiet",
                "--no-analysis", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("compute-bound", "memory-constrained", "high throughput", "large model",
                "utilisation", "speedup of ttft_p50_s over 1 GPU on H100-SXM").contains("wrote " + dir.resolve("parallelism_gpus.csv"));
        // 3 compute-bound + 3 memory-constrained + 3 high-throughput + 5 of GPT-3's 10 layouts + 4 utilisation
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("parallelism_results.csv"));
        assertThat(rows).hasSize(18);
        assertThat(rows).extracting(r -> r.get("step")).containsOnly("parallelism");
        assertThat(rows).extracting(r -> r.get("router")).containsOnly("least_loaded");
        assertThat(rows).extracting(r -> r.get("requests")).containsOnly("200");
        // GPUs: 1+2+4, 1+2+2, 1+2+4, 8+8+4+4+4, 4·4
        List<ResultRow> gpus = ResultsCsv.read(dir.resolve("parallelism_gpus.csv"));
        assertThat(gpus).hasSize(63);
        assertThat(gpus.get(0).columns()).containsExactlyElementsOf(GpuUsageCsv.COLUMNS);
        assertThat(dir.resolve("parallelism_timings.csv")).isRegularFile();
        assertThat(dir.resolve("config.json")).content().contains("GPT-3-175B does not fit on H100-SXM");
    }

    @Test
    void parallelismResumedFromItsCellRecordsWritesTheSameResultsAndGpuRows(@TempDir Path dir) throws IOException {
        String[] study = {"study", "parallelism", "--requests", "100", "--quiet", "--no-analysis"};
        CliTestSupport.Result first = CliTestSupport.run(concat(study, "--out", dir.toString()));
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] results = Files.readAllBytes(dir.resolve("parallelism_results.csv"));
        byte[] gpus = Files.readAllBytes(dir.resolve("parallelism_gpus.csv"));

        CliTestSupport.Result resumed = CliTestSupport.run(concat(study, "--resume", dir.toString()));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("18 cells (0 simulated, 18 from earlier records)");
        assertThat(dir.resolve("parallelism_results.csv")).hasBinaryContent(results);
        assertThat(dir.resolve("parallelism_gpus.csv")).hasBinaryContent(gpus);
    }

    @Test
    void parallelismRefusesAModelOrWorkloadSinceEachScenarioChoosesItsOwn(@TempDir Path dir) {
        CliTestSupport.Result model = CliTestSupport.run("study", "parallelism", "--model", "Llama-2-70B",
                "--out", dir.resolve("model").toString());
        CliTestSupport.Result workload = CliTestSupport.run("study", "parallelism", "--workload", "stress",
                "--out", dir.resolve("workload").toString());

        assertThat(model.exitCode()).isEqualTo(2);
        assertThat(model.err()).contains("--model: the parallelism study chooses each scenario's model itself");
        assertThat(workload.exitCode()).isEqualTo(2);
        assertThat(workload.err()).contains("chooses each scenario's workload itself");
        assertThat(dir.resolve("model")).doesNotExist();
        assertThat(dir.resolve("workload")).doesNotExist();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
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
