package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.validation.replay.ErrorSummary;
import io.servesim.experiments.validation.replay.ReplayReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code servesim validate --against FILE} as users call it. */
class ValidateAgainstCommandTest {
    static final String SILICON = "src/test/resources/validation/silicon_fixture.csv";

    @Test
    void writesEveryRowTheSummaryAndTheParityPlot(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("validate", "--against", SILICON, "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("replayed 5, skipped 9, filtered out 0")
                .contains("unknown model 'moonshotai/Kimi-K2-Instruct'").contains("TTFT mean").contains("MAPE");
        List<String> rows = Files.readAllLines(out.resolve(ReplayReport.ROWS_FILE));
        assertThat(rows).hasSize(15);
        assertThat(rows.get(0)).isEqualTo(String.join(",", ReplayReport.columns()));
        assertThat(rows.stream().filter(r -> r.contains(",skipped,"))).hasSize(9);
        // the fixture's aggregated SGLang row replays with unmixed batches, the others mixed
        assertThat(rows.stream().filter(r -> r.contains(",sglang,") && r.contains(",replayed,")))
                .isNotEmpty().allSatisfy(r -> assertThat(r).endsWith(",unmixed"));
        assertThat(rows.stream().filter(r -> r.contains(",vllm,") && r.contains(",replayed,")))
                .isNotEmpty().allSatisfy(r -> assertThat(r).endsWith(",mixed"));
        JsonNode summary = ConfigMapper.json().readTree(out.resolve(ReplayReport.SUMMARY_FILE).toFile());
        assertThat(summary.get("rows").get("replayed").asInt()).isEqualTo(5);
        assertThat(summary.get("skipped_by_reason").get("precision fp4 not supported").asInt()).isEqualTo(1);
        assertThat(summary.get("errors").get(0).get("group").asText()).isEqualTo("all");
        assertThat(summary.get("errors").get(0).get("metrics").get("ttft_mean").get("count").asInt()).isEqualTo(5);
        assertThat(out.resolve("figures/parity.png")).isRegularFile();
        assertThat(out.resolve("figures/parity.svg")).isRegularFile();
        try (var entries = Files.list(dir)) {
            assertThat(entries).as("no staging folder left").containsExactly(out);
        }
    }

    @Test
    void rowsTheBundledEngineWasFittedOnAreMarkedAndKeptOutOfTheHeldOutGroups(@TempDir Path dir) throws Exception {
        // one row the bundled H100-SXM engine coefficients were fitted on (docs/calibration.md: vLLM, Qwen3-32B,
        // TP 4, bf16, aggregated) and the same measurement at TP 2, held out
        List<String> fixture = Files.readAllLines(Path.of(SILICON));
        String fitRow = "qwen32b_vllm_tp4,fixture,vllm,0.12.0,Qwen/Qwen3-32B,h100_sxm,,agg,1024,128,,,8,4,1,1,1,1"
                + ",,,,,,,,,,,,,,,150,12";
        Path file = Files.write(dir.resolve("rows.csv"), List.of(fixture.get(0), fitRow,
                fitRow.replace("qwen32b_vllm_tp4", "qwen32b_vllm_tp2").replace(",8,4,1,1,1,1,", ",8,2,1,1,1,1,")));
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("validate", "--against", file.toString(), "--out",
                out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(ErrorSummary.FITTED).contains("bias");
        List<String> rows = Files.readAllLines(out.resolve(ReplayReport.ROWS_FILE));
        assertThat(rows.get(1)).startsWith("2,qwen32b_vllm_tp4,").contains(",replayed,,fit,");
        assertThat(rows.get(2)).startsWith("3,qwen32b_vllm_tp2,").contains(",replayed,,held_out,");
        JsonNode summary = ConfigMapper.json().readTree(out.resolve(ReplayReport.SUMMARY_FILE).toFile());
        assertThat(summary.get("rows").get("fitted").asInt()).isEqualTo(1);
        JsonNode groups = summary.get("errors");
        assertThat(groups.get(0).get("group").asText()).isEqualTo("all");
        assertThat(groups.get(0).get("rows").asInt()).isEqualTo(1);
        assertThat(groups.get(groups.size() - 1).get("group").asText()).isEqualTo(ErrorSummary.FITTED);
        assertThat(groups.get(0).get("metrics").get("ttft_mean").has("median_error")).isTrue();

        // with a catalog whose H100-SXM coefficients are not the bundled ones and no front ends (the bundled ones
        // were fitted on the campaign's TP 4 rows, this one among them), nothing was fitted on the row
        CliTestSupport.Result shown = CliTestSupport.run("catalog", "show", "H100-SXM", "--json");
        ObjectNode refitted = (ObjectNode) ConfigMapper.json().readTree(shown.out());
        ((ObjectNode) refitted.get("gpus").get(0).get("calibration")).put("graph_iteration_overhead_micros", 100.0);
        Path catalog = dir.resolve("catalog.json");
        ConfigMapper.json().writeValue(catalog.toFile(), refitted);
        CliTestSupport.Result overlay = CliTestSupport.run("validate", "--against", file.toString(), "--catalog",
                catalog.toString(), "--front-ends", "none", "--out", dir.resolve("overlay").toString());
        assertThat(overlay.exitCode()).as(overlay.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("overlay").resolve(ReplayReport.ROWS_FILE)))
                .noneMatch(r -> r.contains(",fit,"));
    }

    @Test
    void theSameCommandWritesTheSameBytes(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            CliTestSupport.Result result = CliTestSupport.run("validate", "--against", SILICON, "--threads",
                    name.equals("a") ? "1" : "2", "--out", dir.resolve(name).toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
        }
        for (String file : new String[] {ReplayReport.ROWS_FILE, ReplayReport.SUMMARY_FILE}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
    }

    @Test
    void filtersKeepTheRowsOfOneBackendModelOrSystem(@TempDir Path dir) {
        CliTestSupport.Result result = CliTestSupport.run("validate", "--against", SILICON, "--backend", "VLLM",
                "--system", "H100-SXM", "--out", dir.resolve("out").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        // vLLM rows on h100_sxm: the Llama-3.1-8B row (replayed) and the Llama-3.1-70B row that does not fit.
        assertThat(result.out()).contains("replayed 1, skipped 1, filtered out 12");
    }

    @Test
    void aMissingFileIsAUsageErrorThatWritesNothing(@TempDir Path dir) {
        assertUsageError(dir, "--against " + dir.resolve("nope.csv") + " does not exist",
                "--against", dir.resolve("nope.csv").toString());
    }

    @Test
    void anUnknownFormatIsAUsageErrorThatWritesNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bench.csv"), "model,qps\nx,1\n");
        assertUsageError(dir, "bench.csv: unknown format", "--against", file.toString());
    }

    @Test
    void aMissingColumnIsAUsageErrorThatNamesIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bench.csv"),
                Files.readString(Path.of(SILICON)).replaceFirst(",osl,", ",output_len,"));
        assertUsageError(dir, "bench.csv: missing column osl", "--against", file.toString());
    }

    @Test
    void aFolderThatIsNotEmptyIsNotOverwritten(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliTestSupport.Result result = CliTestSupport.run("validate", "--against", SILICON, "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not empty");
        try (var entries = Files.list(out)) {
            assertThat(entries).containsExactly(out.resolve("keep.txt"));
        }
    }

    @Test
    void suiteFlagsDoNotMixWithAgainst(@TempDir Path dir) {
        assertUsageError(dir, "--quick, --profile and --physics-tolerance belong to the suite",
                "--against", SILICON, "--quick");
        assertUsageError(dir, "go with --against", "--backend", "vllm");
    }

    @Test
    void frontEndFlagsAreCheckedBeforeAnyRowRuns(@TempDir Path dir) throws Exception {
        assertUsageError(dir, "go with --against", "--front-ends", "none");
        assertUsageError(dir, "leave out --front-ends", "--against", SILICON, "--front-ends", "none",
                "--fit-front-ends", dir.resolve("fe.json").toString());
        Path existing = Files.writeString(dir.resolve("taken.json"), "{}");
        assertUsageError(dir, "exists; name a new file", "--against", SILICON, "--fit-front-ends", existing.toString());
        Path negative = Files.writeString(dir.resolve("negative.json"), """
                {"source": "mine", "campaigns": [{"backend": "vllm", "front_end_ms": -1, "fit_rows": 1}]}
                """);
        assertUsageError(dir, "front_end_ms", "--against", SILICON, "--front-ends", negative.toString());
    }

    @Test
    void fitFrontEndsWritesAFileThatFrontEndsReads(@TempDir Path dir) throws Exception {
        // the fixture's one vLLM 0.12.0 Llama-3.1-8B row is at TP 1: no campaign has a TP 4 row, so nothing is fitted
        Path fitted = dir.resolve("fe.json");
        CliTestSupport.Result fit = CliTestSupport.run("validate", "--against", SILICON, "--fit-front-ends",
                fitted.toString(), "--out", dir.resolve("fit").toString());
        assertThat(fit.exitCode()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("wrote      " + fitted);
        JsonNode file = ConfigMapper.json().readTree(fitted.toFile());
        assertThat(file.get("source").asText()).contains("--fit-front-ends").contains("TP 4");
        assertThat(file.get("campaigns")).isEmpty();
        CliTestSupport.Result reread = CliTestSupport.run("validate", "--against", SILICON, "--front-ends",
                fitted.toString(), "--out", dir.resolve("reread").toString());
        assertThat(reread.exitCode()).as(reread.err()).isZero();
        JsonNode summary = ConfigMapper.json().readTree(dir.resolve("reread").resolve(ReplayReport.SUMMARY_FILE)
                .toFile());
        assertThat(summary.get("settings").get("front_ends").asText()).contains("--fit-front-ends");
    }

    private static void assertUsageError(Path dir, String message, String... args) {
        Path out = dir.resolve("out");
        String[] all = new String[args.length + 3];
        all[0] = "validate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        CliTestSupport.Result result = CliTestSupport.run(all);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(out).doesNotExist();
    }
}
