package io.servesim.experiments.validation.replay;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.experiments.validation.replay.ReplayPlanner.ClientStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.servesim.experiments.validation.replay.BenchmarkReplayTest.AFFINE_ITERATIONS;
import static io.servesim.experiments.validation.replay.BenchmarkReplayTest.SILICON;
import static io.servesim.experiments.validation.replay.ServingMetric.TPOT_MEAN;
import static io.servesim.experiments.validation.replay.ServingMetric.TTFT_MEAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The front end of a benchmark campaign: it adds its time to every first token of the campaign's closed-loop rows, and
 * its fit recovers a known front end from rows measured with it. Step times are {@link BenchmarkReplayTest}'s affine
 * iterations (5 ms + 10 µs per prefill token + 1 ms per decoding sequence), so one client's TTFT is 5 + 0.01·isl ms
 * without a front end.
 */
class FrontEndsTest {

    static List<RowResult> replay(List<BenchmarkRow> rows, FrontEnds frontEnds) {
        return new BenchmarkReplay(Catalog.load(), 42, 2, null, ClientStart.BENCHMARK, frontEnds, AFFINE_ITERATIONS)
                .run(rows);
    }

    /**
     * The fixture's one-client vLLM 0.12.0 Llama-3.1-8B row at {@code tp}, with input length {@code isl} and a
     * measured mean TTFT of {@code ttftMs} (TPOT 8 ms).
     */
    static String vllmRow(List<String> fixture, String id, int isl, int tp, double ttftMs) {
        String row = fixture.get(1);
        assertThat(row).startsWith("llama8b_vllm_c1_isl1000_osl101,").contains(",agg,1000,101,,,1,1,1,").endsWith(",12,8");
        return row.replace("llama8b_vllm_c1_isl1000_osl101", id)
                .replace(",agg,1000,101,,,1,1,1,", ",agg," + isl + ",101,,,1," + tp + ",1,")
                .replaceAll(",12,8$", "," + ttftMs + ",8");
    }

    /**
     * {@code count} TP 4 rows of the fixture's vLLM campaign, isl 1000, 2000, …, each measured {@code offsetMs} slower
     * than the replay without a front end (5 + 0.01 · isl ms).
     */
    static List<String> tp4Rows(String prefix, int count, double offsetMs) throws IOException {
        List<String> fixture = Files.readAllLines(SILICON);
        List<String> lines = new ArrayList<>();
        for (int isl = 1000; isl <= 1000 * count; isl += 1000) {
            lines.add(vllmRow(fixture, prefix + isl, isl, 4, 5 + 0.01 * isl + offsetMs));
        }
        return lines;
    }

    static List<BenchmarkRow> rows(Path dir, List<String> lines) throws IOException {
        List<String> fixture = Files.readAllLines(SILICON);
        List<String> all = new ArrayList<>();
        all.add(fixture.get(0));
        all.addAll(lines);
        return BenchmarkFile.read(Files.write(dir.resolve("rows.csv"), all)).rows();
    }

    @Test
    void aCampaignsFrontEndAddsItsTimeToEveryFirstTokenAndNothingToLaterOnes() {
        // One client alone: TTFT = d + 5 + 0.01 · 1000 = d + 15 ms, TPOT = 5 + 1 = 6 ms whatever d.
        List<BenchmarkRow> rows = BenchmarkFile.read(SILICON).rows().subList(0, 2);
        FrontEnds frontEnds = new FrontEnds("test", List.of(new FrontEnds.Campaign("vllm", "0.12.0", "fixture", 7.0, 3)));

        List<RowResult> with = replay(rows, frontEnds);
        List<RowResult> without = replay(rows, FrontEnds.NONE);

        assertThat(with.get(0).row().id()).isEqualTo("llama8b_vllm_c1_isl1000_osl101");
        assertThat(with.get(0).predicted().get(TTFT_MEAN)).isCloseTo(22.0, within(1e-9));
        assertThat(without.get(0).predicted().get(TTFT_MEAN)).isCloseTo(15.0, within(1e-9));
        assertThat(with.get(0).predicted().get(TPOT_MEAN)).isCloseTo(6.0, within(1e-9));
        // the SGLang 0.5.1 row belongs to a campaign without a front end: TTFT = 5 + 0.01 · 2000 = 25 ms either way
        assertThat(with.get(1).predicted().get(TTFT_MEAN)).isCloseTo(25.0, within(1e-9));
        assertThat(frontEnds.frontEndMs(rows.get(1))).isZero();
    }

    @Test
    void theFitRecoversAKnownFrontEndFromTheTp4RowsOnly(@TempDir Path dir) throws IOException {
        // Five TP 4 rows measured with a 12 ms front end: 5 + 0.01 · isl + 12 = 27, 37, 47, 57, 67 ms for isl 1000 …
        // 5000. A TP 1 row of the same campaign measured at 100 ms is held out, so it must not move the fit.
        List<String> lines = tp4Rows("fit_", 5, 12);
        lines.add(vllmRow(Files.readAllLines(SILICON), "held_out", 1000, 1, 100));
        List<BenchmarkRow> rows = rows(dir, lines);

        FrontEnds fitted = FrontEnds.fit(replay(rows, FrontEnds.NONE), "test");

        assertThat(fitted.campaigns()).containsExactly(new FrontEnds.Campaign("vllm", "0.12.0", "fixture", 12.0, 5));
        assertThat(rows).extracting(row -> fitted.fitRows().test(row))
                .containsExactly(true, true, true, true, true, false);
        // replayed with the fitted front end, the fit rows' TTFTs are the measured ones
        List<RowResult> replayed = replay(rows, fitted);
        for (int i = 0; i < 5; i++) {
            assertThat(replayed.get(i).relativeError(TTFT_MEAN)).isCloseTo(0.0, within(1e-9));
        }
        assertThat(replayed.get(5).predicted().get(TTFT_MEAN)).isCloseTo(27.0, within(1e-9));
    }

    @Test
    void aCampaignMeasuredFasterThanTheReplayGetsNoFrontEnd(@TempDir Path dir) throws IOException {
        // Measured 5 ms below the replay (5 + 0.01 · isl): the least-squares front end would be −5 ms; it is clipped
        // at 0.
        List<String> lines = tp4Rows("fast_", 5, -5);

        assertThat(FrontEnds.fit(replay(rows(dir, lines), FrontEnds.NONE), "test").campaigns())
                .containsExactly(new FrontEnds.Campaign("vllm", "0.12.0", "fixture", 0.0, 5));
    }

    @Test
    void aCampaignWithTooFewFitRowsGetsNoFrontEndAndItsRowsStayHeldOut(@TempDir Path dir) throws IOException {
        // Four TP 4 rows (fewer than MIN_FIT_ROWS), 12 ms slower than the replay: nothing is fitted on them.
        List<BenchmarkRow> rows = rows(dir, tp4Rows("few_", 4, 12));

        FrontEnds fitted = FrontEnds.fit(replay(rows, FrontEnds.NONE), "test");

        assertThat(fitted.campaigns()).isEmpty();
        assertThat(rows).noneMatch(row -> fitted.fitRows().test(row));
    }

    @Test
    void campaignsAreKeptApartByTheCollectionTheirRowsComeFrom() {
        assertThat(BenchmarkFile.collection("source_file=/data/h100_sxm/vllm/0.12.0/Qwen_Qwen3-32B.csv"))
                .isEqualTo("/data/h100_sxm/vllm/0.12.0/Qwen_Qwen3-32B.csv");
        assertThat(BenchmarkFile.collection("source_file=2026-04-06.csv; model=Llama-3.1-70B; silicon_concurrency=4;"
                + " measured=2025-11-10T00:00:00.000Z; wip=False")).isEqualTo("2026-04-06.csv");
        assertThat(BenchmarkFile.collection("db-dump/2026-04-27; config_id=199; silicon_concurrency=16;"
                + " workflow_run_id=146")).isEqualTo("db-dump/2026-04-27");
        assertThat(BenchmarkFile.collection(" fixture ")).isEqualTo("fixture");
        // two rows of one backend and version from different collections are two campaigns
        FrontEnds frontEnds = new FrontEnds("test", List.of(new FrontEnds.Campaign("vllm", "0.12.0", "a.csv", 9.0, 5)));
        BenchmarkRow row = BenchmarkFile.read(SILICON).rows().get(0);
        assertThat(row.source()).isEqualTo("fixture");
        assertThat(frontEnds.frontEndMs(row)).isZero();
    }

    @Test
    void aFrontEndsFileWithANegativeTimeNamesTheField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("front_ends.json"), """
                {"source": "mine", "campaigns": [{"backend": "vllm", "backend_version": "", "front_end_ms": -3,
                 "fit_rows": 1}]}
                """);

        assertThatThrownBy(() -> FrontEnds.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("front_end_ms").hasMessageContaining(">= 0");
    }

    @Test
    void theBundledFrontEndsSayWhereTheyCameFromAndCoverTheVllmCampaigns() {
        FrontEnds bundled = FrontEnds.bundled();

        assertThat(bundled.source()).contains("--fit-front-ends").contains("TP 4");
        assertThat(bundled.campaigns()).extracting(c -> c.backend() + " " + c.backendVersion())
                .contains("vllm ", "vllm 0.12.0");
        assertThat(bundled.campaigns()).allSatisfy(c -> assertThat(c.fitRows()).isPositive());
    }

    @Test
    void anOpenLoopRowsOwnFrontEndDelaysEveryRequestByItsValue(@TempDir Path dir) throws IOException {
        // Every request of an open-loop run waits the same 10 ms, so the engine sees the same arrivals 10 ms later:
        // TTFT and E2E grow by exactly 10 ms, TPOT not at all.
        List<String> lines = Files.readAllLines(BenchmarkReplayTest.OPEN_LOOP);
        assertThat(lines.get(0)).endsWith(",e2e_mean_ms,e2e_p99_ms");
        assertThat(lines.get(1)).startsWith("slow-constant,");
        Path file = Files.write(dir.resolve("open.csv"), List.of(lines.get(0) + ",front_end_ms",
                lines.get(1) + ",", lines.get(1).replace("slow-constant", "with-front-end") + ",10"));
        List<BenchmarkRow> rows = BenchmarkFile.read(file).rows();
        assertThat(rows.get(0).engine().frontEndMs()).isNull();
        assertThat(rows.get(1).engine().frontEndMs()).isEqualTo(10.0);

        List<RowResult> results = replay(rows, FrontEnds.NONE);

        assertThat(results.get(1).predicted().get(TTFT_MEAN) - results.get(0).predicted().get(TTFT_MEAN))
                .isCloseTo(10.0, within(1e-9));
        assertThat(results.get(1).predicted().get(ServingMetric.E2E_MEAN)
                - results.get(0).predicted().get(ServingMetric.E2E_MEAN)).isCloseTo(10.0, within(1e-9));
        assertThat(results.get(1).predicted().get(TPOT_MEAN)).isCloseTo(results.get(0).predicted().get(TPOT_MEAN),
                within(1e-9));
    }

    @Test
    void aNegativeFrontEndInAnOpenLoopFileNamesTheColumn(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(BenchmarkReplayTest.OPEN_LOOP);
        Path file = Files.write(dir.resolve("open.csv"), List.of(lines.get(0) + ",front_end_ms", lines.get(1) + ",-1"));

        assertThatThrownBy(() -> BenchmarkFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("front_end_ms").hasMessageContaining(">= 0");
    }
}
