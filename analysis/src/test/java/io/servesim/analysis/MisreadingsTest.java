package io.servesim.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.figures.FigureOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The misreadings of issue 14, each reproduced on a folder shaped like the default plan's (200 req/s offered to
 * every cell, 1–8 GPUs saturated, 16–100 keeping up, step 3 at 16 GPUs with identical K rows), and shown gone.
 */
class MisreadingsTest {

    @TempDir
    static Path plan;

    private static AnalysisResult result;
    private static String findings;
    private static String html;

    static final String CONFIG = """
            {
              "experiment" : "stress",
              "plan" : { "seed" : 42, "rps_scale" : 200.0 },
              "offered_load" : { "workload" : "stress", "workload_rate_rps" : 1.0, "rps_scale" : 200.0, "rps" : 200.0,
                                 "scale_source" : "default for workload stress" },
              "servesim" : { "release" : "0.1.0-SNAPSHOT", "commit" : "c919528abcde", "java" : "25" },
              "command" : "servesim stress --max-requests 10000",
              "scenario" : {
                "seed" : 42,
                "deployment" : { "model" : "Llama-2-7B", "gpu" : "H100-SXM", "tp" : 1, "pp" : 1, "step_time_profile" : null },
                "engine" : { "max_num_seqs" : 256, "max_num_batched_tokens" : 8192, "chunked_prefill" : false,
                             "mixed_batches" : true, "queue_timeout_seconds" : Infinity },
                "workload" : { "name" : "stress", "description" : "stress-plan workload, 1 req/s before rps_scale" }
              }
            }
            """;

    @BeforeAll
    static void analyseAFolderShapedLikeTheDefaultPlan() throws IOException {
        ResultsFixture step2 = new ResultsFixture();
        int[] gpus = {1, 2, 4, 8, 16, 32, 64, 100};
        double[] throughput = {20.6, 40.4, 77.8, 133.3, 199.65, 199.66, 199.64, 199.65};
        double[] goodput = {0.0012, 0.198, 10.2, 80.4, 199.1, 199.2, 199.1, 199.2};
        for (int i = 0; i < gpus.length; i++) {
            ResultsFixture.Row row = step2.row().step(ResultsSchema.STEP_GPU_SCALING).scheduler("multi_bin").k(4)
                    .gpus(gpus[i]).requests(10_000).throughput(throughput[i]).goodput(goodput[i]).offered(200)
                    .set("model", "Llama-2-7B").set("gpu_type", "H100-SXM").set("rps_scale", 200)
                    .set("gpu_util_mean", i < 4 ? 1.0 : 0.999).set("mean_batch_size", 256.0 / (1 << i))
                    .set("kv_usage_mean", 0.6 / (1 << i));
            if (i < 4) {
                row.saturated(200 / throughput[i]);
            }
        }
        step2.write(plan, "comprehensive_stress_results_step2_gpu_scaling.csv");
        ResultsFixture step3 = new ResultsFixture();
        for (int k : new int[] {1, 2, 4, 8, 16, 32}) {
            step3.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("multi_bin").k(k).gpus(16)
                    .requests(10_000).throughput(199.65362981441373).goodput(199.1).offered(200)
                    .set("model", "Llama-2-7B").set("gpu_type", "H100-SXM").set("queue_delay_p95_s", 0.001);
        }
        step3.write(plan, "comprehensive_stress_results_step3_kbins_sensitivity.csv");
        Files.writeString(plan.resolve("config.json"), CONFIG);
        result = new Analyzer("0.2.0 (commit feedbeef)", FigureOptions.DEFAULT).analyze(plan);
        findings = Files.readString(plan.resolve(Analyzer.FINDINGS_MD));
        html = Files.readString(plan.resolve(Analyzer.REPORT_HTML));
    }

    @Test
    void findingsAndReportSayWhatWasSimulatedAndTheTitleSaysWhatTheReportIs() {
        for (String text : new String[] {findings, html}) {
            assertThat(text).contains("ServeSim stress plan: Llama-2-7B on H100-SXM, workload stress at 200 req/s")
                    .contains("TP 1 × PP 1", "multi_bin", "least_loaded", "max_num_seqs 256",
                            "prefill and decode mixed in an iteration", "200.0 req/s to every cell",
                            "10,000", "seed", "42", "servesim stress --max-requests 10000",
                            "ServeSim 0.1.0-SNAPSHOT (commit c919528abcde) on Java 25", "ServeSim 0.2.0 (commit feedbeef)")
                    .contains("step-time model").contains("uncalibrated roofline");
        }
        assertThat(findings).startsWith("# ServeSim stress plan").doesNotStartWith("# Findings");
        assertThat(html).contains("<title>ServeSim stress plan").contains("<nav>");
        assertThat(result.figures()).allSatisfy(f -> assertThat(f.caption()).contains("Llama-2-7B on H100-SXM",
                "200 req/s", "seed 42", "step-time model: uncalibrated roofline"));
    }

    @Test
    void stepThreeRecommendsNoKWhenEveryKRowIsTheSame() {
        String step3 = section("## Step 3");
        assertThat(step3).doesNotContainPattern("(?i)recommended K\\s*=")
                .contains("no K is recommended", "queues hardly form")
                .contains("Figures left out because they would carry no information",
                        "not drawn, every K gives the same result");
        assertThat(result.figures()).extracting(Figure::name).noneMatch(n -> n.startsWith("step3"));
    }

    @Test
    void stepTwoAttributesTheFlatteningToTheOfferedLoadAndSaysSaturatedInOneSenseOnly() {
        String step2 = section("## Step 2");
        assertThat(step2).contains("keeps up with the offered load", "not lost by the system")
                .contains("Saturated on 1–8 GPUs")
                .doesNotContain("lost scaling").doesNotContain("Saturation point").doesNotContain("Scaling efficiency at");
        assertThat(findings).doesNotContain("lost scaling");
    }

    @Test
    void noPercentageIsPrintedFromANearZeroBase() {
        // goodput 0.0012 → 0.198 req/s is +16,400 %: printed as an absolute difference instead
        assertThat(findings).doesNotContainPattern(Pattern.compile("[+−]\\d{4,}(\\.\\d)? %"))
                .doesNotContainPattern(Pattern.compile("[+−]\\d{1,3},\\d{3}(\\.\\d)? %"))
                .contains("n/a (base ≈ 0), +0.197");
    }

    @Test
    void busyFractionIsNeitherAHeadlineNorAFigure() {
        assertThat(result.figures()).extracting(Figure::name).noneMatch(n -> n.contains("utilisation"))
                .contains("step2_resources_vs_gpus");
        assertThat(findings).doesNotContain("GPU utilisation").contains("batch occupancy", "KV use")
                .contains("is not a utilisation");
    }

    @Test
    void analysisJsonIsStrictJsonWithTheDescriptionOfTheRun() throws IOException {
        var strict = JsonMapper.builder().disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        var json = strict.readTree(plan.resolve(Analyzer.ANALYSIS_JSON).toFile());

        assertThat(json.at("/simulated/stepTimeModel").asText()).isEqualTo("uncalibrated roofline");
        assertThat(json.at("/simulated/models/0").asText()).isEqualTo("Llama-2-7B");
        assertThat(json.at("/simulated/offeredRps").asDouble()).isEqualTo(200.0);
    }

    @Test
    void theStepTimeModelIsTheCalibrationConfigJsonNames(@TempDir Path dir) throws IOException {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().step("study").served(10);
        fixture.row().step("study").scheduler("static").served(5);
        fixture.write(dir, "study_results.csv");
        Files.writeString(dir.resolve("config.json"), """
                {"step_time_model": {"name": "H100 vLLM kernels 2024", "validated_error": "MAPE 7 % on 120 iterations"}}
                """);

        String text = Files.readString(new Analyzer().analyze(dir).writtenFiles().stream()
                .filter(p -> p.getFileName().toString().equals(Analyzer.FINDINGS_MD)).findFirst().orElseThrow());

        assertThat(text).contains("step-time model | H100 vLLM kernels 2024 (validated error MAPE 7 % on 120 iterations)")
                .doesNotContain("uncalibrated");
    }

    private static String section(String heading) {
        int start = findings.indexOf(heading);
        int end = findings.indexOf("\n## ", start + 1);
        return findings.substring(start, end < 0 ? findings.length() : end);
    }
}
