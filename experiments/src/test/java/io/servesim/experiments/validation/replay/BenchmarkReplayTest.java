package io.servesim.experiments.validation.replay;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.experiments.scenario.Pools;
import io.servesim.experiments.validation.replay.ErrorSummary.MetricError;
import io.servesim.experiments.validation.replay.ReplayPlanner.ClientStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.servesim.experiments.validation.replay.ServingMetric.E2E_MEAN;
import static io.servesim.experiments.validation.replay.ServingMetric.E2E_P99;
import static io.servesim.experiments.validation.replay.ServingMetric.TPOT_MEAN;
import static io.servesim.experiments.validation.replay.ServingMetric.TTFT_MEAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Replaying measured rows: the reported errors equal hand-calculated ones when the step time is known exactly, and
 * every row ServeSim cannot express is listed with its reason.
 */
class BenchmarkReplayTest {
    static final Path SILICON = Path.of("src/test/resources/validation/silicon_fixture.csv");
    static final Path OPEN_LOOP = Path.of("src/test/resources/validation/open_loop_fixture.csv");

    /**
     * An iteration takes 5 ms + 10 µs per prefill token + 1 ms per decoding sequence. One request alone on a replica:
     * its prefill of P tokens is one iteration, TTFT = 5 + 0.01·P ms; each later token is a decode iteration of one
     * sequence, TPOT = 5 + 1 = 6 ms.
     */
    static final Module AFFINE_ITERATIONS = new AbstractModule() {
        @Provides
        ReplicaPool replicaPool(ReplicaConfig limits) {
            return new ReplicaPool(limits, new AffineStepTimeModel(0.005, 1e-5, 1e-3), 1);
        }
    };

    static Map<String, RowResult> replay(Path file, Module... overrides) {
        List<RowResult> results = new BenchmarkReplay(Catalog.load(), 42, 2, null, ClientStart.TOGETHER, FrontEnds.NONE, overrides)
                .run(BenchmarkFile.read(file).rows());
        return results.stream().collect(Collectors.toMap(r -> r.row().id(), Function.identity()));
    }

    @Test
    void theParityFigureShowsFitRowsApartFromHeldOutOnes() {
        List<RowResult> results = new BenchmarkReplay(Catalog.load(), 42, 2, null, ClientStart.TOGETHER, FrontEnds.NONE,
                AFFINE_ITERATIONS).run(BenchmarkFile.read(SILICON).rows());
        long replayed = results.stream().filter(RowResult::replayed).count();
        ReplayReport withFit = new ReplayReport(BenchmarkFile.read(SILICON), results, 0,
                row -> row.id().equals("llama8b_vllm_c1_isl1000_osl101"));
        // every metric the rows measured: its held-out pairs, then the one fit row's pair, never mixed
        assertThat(withFit.paritySeries()).extracting(ParitySeriesView::of).contains(
                "TTFT mean, held out: " + (replayed - 1), "TPOT mean, held out: " + (replayed - 1),
                "TTFT mean, fit rows: 1", "TPOT mean, fit rows: 1");
        assertThat(withFit.paritySeries()).extracting(ParitySeriesView::of)
                .noneMatch(name -> name.startsWith("TTFT mean:"));
        // nothing fitted on these rows: one series per metric, named by the metric alone
        ReplayReport noFit = new ReplayReport(BenchmarkFile.read(SILICON), results, 0, row -> false);
        assertThat(noFit.paritySeries()).extracting(ParitySeriesView::of)
                .contains("TTFT mean: " + replayed, "TPOT mean: " + replayed)
                .noneMatch(name -> name.contains("held out") || name.contains("fit rows"));
    }

    /** A parity series as its name and its number of pairs. */
    private static final class ParitySeriesView {
        static String of(io.servesim.analysis.figures.ParityFigure.Series series) {
            return series.name() + ": " + series.measured().length;
        }
    }

    @Test
    void errorsOfSingleClientRowsEqualTheHandCalculation() {
        Map<String, RowResult> results = replay(SILICON, AFFINE_ITERATIONS);

        // Llama-3.1-8B, 1 client, isl 1000: TTFT = 5 + 10 = 15 ms vs 12 measured → +0.25; TPOT 6 vs 8 → −0.25.
        RowResult llama = results.get("llama8b_vllm_c1_isl1000_osl101");
        assertThat(llama.predicted().get(TTFT_MEAN)).isCloseTo(15.0, within(1e-9));
        assertThat(llama.predicted().get(TPOT_MEAN)).isCloseTo(6.0, within(1e-9));
        assertThat(llama.relativeError(TTFT_MEAN)).isCloseTo(0.25, within(1e-9));
        assertThat(llama.relativeError(TPOT_MEAN)).isCloseTo(-0.25, within(1e-9));
        // Qwen3-32B, 1 client, isl 2000: TTFT = 5 + 20 = 25 ms vs 20 → +0.25; TPOT 6 vs 5 → +0.2.
        RowResult qwen = results.get("qwen32b_sglang_c1_isl2000_osl11");
        assertThat(qwen.relativeError(TTFT_MEAN)).isCloseTo(0.25, within(1e-9));
        assertThat(qwen.relativeError(TPOT_MEAN)).isCloseTo(0.2, within(1e-9));
        // Six rounds of one client: six requests, the middle four measured.
        assertThat(qwen.simulatedRequests()).isEqualTo(6);

        // Over both rows: TTFT errors |0.25|, |0.25|; TPOT errors |−0.25|, |0.2| → MAPE 0.225, median 0.225,
        // p90 = 0.2 + 0.9 · (0.25 − 0.2) = 0.245 (linear between ranks).
        ErrorSummary summary = ErrorSummary.of(List.of(llama, qwen), row -> false);
        MetricError ttft = summary.all().metrics().get(TTFT_MEAN);
        MetricError tpot = summary.all().metrics().get(TPOT_MEAN);
        assertThat(ttft.count()).isEqualTo(2);
        assertThat(ttft.mape()).isCloseTo(0.25, within(1e-9));
        assertThat(tpot.mape()).isCloseTo(0.225, within(1e-9));
        assertThat(tpot.medianApe()).isCloseTo(0.225, within(1e-9));
        assertThat(tpot.p90Ape()).isCloseTo(0.245, within(1e-9));
        // the bias is the median signed error: TTFT +0.25, +0.25 → +0.25; TPOT −0.25, +0.2 → −0.025
        assertThat(ttft.medianError()).isCloseTo(0.25, within(1e-9));
        assertThat(tpot.medianError()).isCloseTo(-0.025, within(1e-9));
        assertThat(summary.byName()).containsKeys("all", "backend sglang", "backend vllm", "Llama-3.1-8B on H100-SXM",
                "Qwen3-32B on H100-SXM");
        assertThat(summary.byName().get("backend vllm").metrics().get(TPOT_MEAN).mape()).isCloseTo(0.25, within(1e-9));
        // the engine versions the file records make one group each, after the backends
        assertThat(llama.row().backendVersion()).isEqualTo("0.12.0");
        // both rows are dense models on an H100-SXM: the target scope, per backend too
        assertThat(summary.groups()).extracting(ErrorSummary.Group::name).containsExactly("all", "target scope",
                "target scope: backend sglang", "target scope: backend vllm", "mode agg",
                "backend sglang", "backend vllm", "backend sglang 0.5.1", "backend vllm 0.12.0",
                "Llama-3.1-8B on H100-SXM", "Qwen3-32B on H100-SXM");
        assertThat(summary.byName().get("target scope").metrics().get(TPOT_MEAN).p90Ape())
                .isCloseTo(0.245, within(1e-9));
        assertThat(summary.byName().get("target scope: backend vllm").rows()).isEqualTo(1);
        assertThat(summary.byName().get("backend vllm 0.12.0").metrics().get(TTFT_MEAN).mape())
                .isCloseTo(0.25, within(1e-9));
    }

    @Test
    void aBenchmarkIsOneColdRoundAndNineSteadyOnes(@TempDir Path dir) throws IOException {
        // Four clients, isl 100, osl 11. The cold first round: all four prompts in one iteration of 400 prefill
        // tokens, 5 + 4 = 9 ms, so every TTFT is 9 ms; then ten decode iterations of four sequences, 5 + 4 = 9 ms
        // each, so TPOT = 9 ms. The benchmark's mean is (first round + 9 · steady state) / 10.
        List<String> lines = Files.readAllLines(SILICON);
        String row = lines.get(1).replace("llama8b_vllm_c1_isl1000_osl101", "four_clients")
                .replace(",agg,1000,101,", ",agg,100,11,").replace(",,1,1,1,", ",,4,1,1,");
        Path file = Files.writeString(dir.resolve("four.csv"), lines.get(0) + "\n" + row + "\n");
        assertThat(row).contains(",agg,100,11,");
        List<BenchmarkRow> rows = BenchmarkFile.read(file).rows();
        assertThat(rows.get(0).load()).isEqualTo(new BenchmarkRow.ClosedLoop(4));

        RowResult benchmark = new BenchmarkReplay(Catalog.load(), 42, 1, null, ClientStart.BENCHMARK, FrontEnds.NONE,
                AFFINE_ITERATIONS).run(rows).get(0);
        RowResult steady = new BenchmarkReplay(Catalog.load(), 42, 1, null, ClientStart.STAGGERED, FrontEnds.NONE,
                AFFINE_ITERATIONS).run(rows).get(0);

        assertThat(benchmark.predicted().get(TTFT_MEAN))
                .isCloseTo((9.0 + 9 * steady.predicted().get(TTFT_MEAN)) / 10, within(1e-9));
        assertThat(benchmark.predicted().get(TPOT_MEAN))
                .isCloseTo((9.0 + 9 * steady.predicted().get(TPOT_MEAN)) / 10, within(1e-9));
        assertThat(steady.predicted().get(TTFT_MEAN)).as("a prefill of 100 tokens alone takes 6 ms")
                .isGreaterThanOrEqualTo(6.0);
        assertThat(benchmark.predicted()).as("a percentile of all rounds is not predicted").doesNotContainKey(E2E_P99);
        assertThat(benchmark.simulatedRequests()).isEqualTo(4 + 6 * 4);
    }

    @Test
    void anSglangRowRunsUnmixedBatchesWithItsClientsInLockstep(@TempDir Path dir) throws IOException {
        // Four clients of 4,096 + 11 tokens on SGLang (H100: chunked_prefill_size 8,192). Every round: two prefill
        // iterations of two prompts (8,192 tokens, 5 + 81.92 = 86.92 ms each) while nothing decodes, then ten decode
        // iterations of four sequences (5 + 4 = 9 ms each), all finishing at 263.84 ms; the clients send their next
        // requests together and the round repeats. TTFT: 86.92 ms twice and 173.84 ms twice, mean 130.38 ms. TPOT:
        // the first two wait out the second prefill iteration, (263.84 − 86.92) / 10 = 17.692 ms; the other two
        // 9 ms; mean 13.346 ms. Whatever --client-start says, the rounds are alike.
        List<String> lines = Files.readAllLines(SILICON);
        String row = lines.get(2).replace("qwen32b_sglang_c1_isl2000_osl11", "four_sglang_clients")
                .replace(",agg,2000,11,,,1,2,1,", ",agg,4096,11,,,4,2,1,");
        assertThat(row).contains(",sglang,").contains(",agg,4096,11,,,4,2,1,");
        List<BenchmarkRow> rows = BenchmarkFile.read(Files.writeString(dir.resolve("sglang.csv"),
                lines.get(0) + "\n" + row + "\n")).rows();
        ReplayPlanner.Replay plan = (ReplayPlanner.Replay) new ReplayPlanner(Catalog.load(), null, 42,
                ClientStart.BENCHMARK, FrontEnds.NONE).plan(rows.get(0));
        assertThat(plan.firstRound()).as("no separate cold round: every round is one").isNull();
        assertThat(plan.scenario().engine().mixedBatches()).isFalse();
        assertThat(plan.scenario().engine().maxNumBatchedTokens()).isEqualTo(8192);

        for (ClientStart start : ClientStart.values()) {
            RowResult r = new BenchmarkReplay(Catalog.load(), 42, 1, null, start, FrontEnds.NONE, AFFINE_ITERATIONS)
                    .run(rows).get(0);
            assertThat(r.predicted().get(TTFT_MEAN)).as("%s", start).isCloseTo(130.38, within(1e-6));
            assertThat(r.predicted().get(TPOT_MEAN)).as("%s", start).isCloseTo(13.346, within(1e-6));
        }
    }

    @Test
    void sglangsPrefillBatchIsLargerOnGpusOf160GibOrMore() {
        assertThat(ReplayPlanner.sglangChunkTokens(80)).isEqualTo(8192);
        assertThat(ReplayPlanner.sglangChunkTokens(141)).isEqualTo(8192);
        assertThat(ReplayPlanner.sglangChunkTokens(180)).isEqualTo(16384);
    }

    @Test
    void theStaggeredStartSpreadsClientsOverTheCycleTheyThenRun(@TempDir Path dir) throws IOException {
        // 64 clients of 1,024 + 128 tokens on Qwen3-32B, TP 4, H100: every cycle of a client holds its prefill and
        // 127 decode iterations, shared with the other clients, whose prefills lengthen those iterations. The ramp
        // the clients start over must be the cycle they then run (their mean E2E latency), or clients collide and
        // the simulation keeps them in convoys; leaving the prefills out of the estimate made it 1.8 s instead of
        // about 3.4 s.
        List<String> lines = Files.readAllLines(SILICON);
        String row = lines.get(2).replace("qwen32b_sglang_c1_isl2000_osl11", "sixty_four_clients")
                .replace(",sglang,", ",vllm,").replace(",agg,2000,11,,,1,2,1,", ",agg,1024,128,,,64,4,1,");
        assertThat(row).contains(",agg,1024,128,,,64,4,1,");
        List<BenchmarkRow> rows = BenchmarkFile.read(Files.writeString(dir.resolve("c64.csv"),
                lines.get(0) + "\n" + row + "\n")).rows();
        Catalog catalog = Catalog.load();
        ReplayPlanner.Replay plan = (ReplayPlanner.Replay) new ReplayPlanner(catalog, null, 42, ClientStart.STAGGERED, FrontEnds.NONE)
                .plan(rows.get(0));
        double cycle = ReplayPlanner.cycleSeconds(plan.scenario().deployment().resolve(catalog), rows.get(0), 64);

        RowResult steady = new BenchmarkReplay(catalog, 42, 1, null, ClientStart.STAGGERED, FrontEnds.NONE).run(rows).get(0);

        assertThat(steady.predicted().get(E2E_MEAN) / 1000).isCloseTo(cycle, within(0.1 * cycle));
        // Spread out, a prompt waits for at most the iteration in progress and is prefilled in the next: its TTFT
        // stays within a few decode iterations, far from a convoy's 64 prompts prefilled together.
        assertThat(steady.predicted().get(TTFT_MEAN)).isLessThan(4 * steady.predicted().get(TPOT_MEAN));
    }

    @Test
    void skippedRowsCarryTheirReasons() {
        Map<String, RowResult> results = replay(SILICON);

        assertThat(results).hasSize(14);
        assertThat(results.get("llama8b_disagg").skipReason()).isEqualTo("disaggregated row without its worker counts"
                + " (prefill_num_workers, decode_num_workers and decode_batch_size empty)");
        assertThat(results.get("qwen30b_disagg_attention_dp").skipReason())
                .isEqualTo("attention data parallelism (prefill_attention_dp_size 4) is not modelled");
        // A pool's expert parallelism becomes pools.<pool>.ep, which only a mixture-of-experts model accepts.
        assertThat(results.get("llama8b_disagg_ep_on_dense").skipReason()).startsWith(
                "cannot be deployed (decode pool): deployment.ep must be 1 for Llama-3.1-8B, which has no experts");
        assertThat(results.get("unknown_model").skipReason())
                .isEqualTo("unknown model 'moonshotai/Kimi-K2-Instruct'");
        assertThat(results.get("qwen32b_gb200_unknown_gpu").skipReason()).isEqualTo("unknown GPU 'gb200'");
        assertThat(results.get("llama70b_fp4").skipReason()).isEqualTo("precision fp4 not supported");
        assertThat(results.get("llama8b_attention_dp").skipReason())
                .isEqualTo("attention data parallelism (attention_dp_size 8) is not modelled");
        assertThat(results.get("llama70b_tp1_does_not_fit").skipReason())
                .startsWith("does not fit in memory: Llama-3.1-70B does not fit on H100-SXM");
        // Expert parallelism becomes deployment.ep, which only a mixture-of-experts model accepts.
        assertThat(results.get("llama8b_ep_on_dense").skipReason())
                .startsWith("cannot be deployed: deployment.ep must be 1 for Llama-3.1-8B, which has no experts");
        assertThat(results.get("qwen30b_moe_ep2").replayed()).isTrue();
        // The five expressible rows (two of them disaggregated) run on the calibrated physics and get predictions.
        assertThat(results.values().stream().filter(RowResult::replayed)).hasSize(5)
                .allSatisfy(r -> assertThat(r.predicted().get(TTFT_MEAN)).isPositive());
    }

    @Test
    void aDisaggregatedRowBecomesPoolsOfItsWorkersLayoutsAndBatchLimits() {
        ReplayPlanner planner = new ReplayPlanner(Catalog.load(), null, 42, ClientStart.BENCHMARK, FrontEnds.NONE);
        BenchmarkRow row = BenchmarkFile.read(SILICON).rows().stream()
                .filter(r -> r.id().equals("qwen30b_disagg_ep2")).findFirst().orElseThrow();

        ReplayPlanner.Replay replay = (ReplayPlanner.Replay) planner.plan(row);

        // prefill: 1 worker of TP 2 with 2 expert ranks, batch 1; decode: 2 workers of TP 2, EP 2, batch 4.
        Pools pools = replay.scenario().pools();
        assertThat(List.of(pools.prefill().replicas(), pools.prefill().tp(), pools.prefill().ep(),
                pools.prefill().engine().maxNumSeqs())).containsExactly(1, 2, 2, 1);
        assertThat(List.of(pools.decode().replicas(), pools.decode().tp(), pools.decode().ep(),
                pools.decode().engine().maxNumSeqs())).containsExactly(2, 2, 2, 4);
        assertThat(replay.scenario().gpuTypes()).isEqualTo("H100-SXM+H100-SXM");
        // 4 sequences per decode worker × 2 workers = 8 clients: a cold round of 8 requests, then 6 rounds of 8.
        assertThat(replay.firstRound().workload().requests()).isEqualTo(8);
        assertThat(replay.scenario().workload().requests()).isEqualTo(48);
    }

    @Test
    void aDisaggregatedClientWaitsForItsKvTransferAndDecodesAsOnOneEngine() {
        Map<String, RowResult> results = replay(SILICON);
        RowResult aggregated = results.get("llama8b_vllm_c1_isl1000_osl101");
        RowResult disaggregated = results.get("llama8b_disagg_1p1d_c1");

        // One client, Llama-3.1-8B on H100s, 1,000-token prompts, 101-token answers. Its prefill is the same
        // iteration on either deployment; disaggregated, the first token counts when the KV reaches the decode
        // GPU: 1,000 tokens × 2 (K, V) · 32 layers · 8 KV heads · 128 · 2 bytes = 131,072,000 bytes over the node's
        // 900 GB/s NVLink, 0.145636 ms, plus its 1 µs latency = 0.146636 ms. The decode iterations of the one
        // sequence are the same, so TPOT is too.
        assertThat(disaggregated.predicted().get(TTFT_MEAN) - aggregated.predicted().get(TTFT_MEAN))
                .isCloseTo(131_072_000 / 900e9 * 1e3 + 1e-3, within(1e-9));
        assertThat(disaggregated.predicted().get(TPOT_MEAN))
                .isCloseTo(aggregated.predicted().get(TPOT_MEAN), within(1e-9));
        assertThat(disaggregated.simulatedRequests()).isEqualTo(6);
    }

    @Test
    void rowsTheCoefficientsWereFittedOnStayOutOfEveryGroupButTheirOwn() {
        Map<String, RowResult> results = replay(SILICON, AFFINE_ITERATIONS);
        RowResult llama = results.get("llama8b_vllm_c1_isl1000_osl101");
        RowResult qwen = results.get("qwen32b_sglang_c1_isl2000_osl11");

        ErrorSummary summary = ErrorSummary.of(List.of(llama, qwen), row -> row.equals(qwen.row()));

        // held out: the Llama row alone (TTFT +0.25, TPOT −0.25); the Qwen row (TTFT +0.25, TPOT +0.2) only fitted
        assertThat(summary.all().rows()).isEqualTo(1);
        assertThat(summary.all().metrics().get(TPOT_MEAN).medianError()).isCloseTo(-0.25, within(1e-9));
        assertThat(summary.byName()).doesNotContainKey("backend sglang");
        assertThat(summary.groups()).last().extracting(ErrorSummary.Group::name).isEqualTo(ErrorSummary.FITTED);
        assertThat(summary.byName().get(ErrorSummary.FITTED).rows()).isEqualTo(1);
        assertThat(summary.byName().get(ErrorSummary.FITTED).metrics().get(TPOT_MEAN).mape())
                .isCloseTo(0.2, within(1e-9));
    }

    @Test
    void disaggregatedRowsAreSummarisedApartFromAggregatedOnes() {
        ErrorSummary summary = ErrorSummary.of(List.copyOf(replay(SILICON).values()), row -> false);

        assertThat(summary.byName()).containsKeys("mode agg", "mode disagg", "Llama-3.1-8B on H100-SXM",
                "Llama-3.1-8B on H100-SXM (disagg)", "Qwen3-30B-A3B on H100-SXM (disagg)");
        assertThat(summary.byName().get("mode disagg").rows()).isEqualTo(2);
        assertThat(summary.byName().get("mode agg").rows()).isEqualTo(3);
        // the target scope: aggregated dense models on H100-SXM or H200, so neither the disaggregated Llama-3.1-8B
        // row nor a mixture of experts
        List<RowResult> inScope = replay(SILICON).values().stream().filter(ErrorSummary::inTargetScope).toList();
        assertThat(inScope).extracting(r -> r.row().mode()).containsOnly("agg");
        assertThat(inScope).extracting(RowResult::model).doesNotContain("Qwen3-30B-A3B");
        assertThat(summary.byName().get("target scope").rows()).isEqualTo(inScope.size()).isPositive();
        assertThat(summary.byName().get("Llama-3.1-8B on H100-SXM").rows()).isEqualTo(1);
    }

    @Test
    void openLoopRowsReplayAtTheirRateAndCompareEveryMeasuredMetric() {
        Map<String, RowResult> results = replay(OPEN_LOOP, AFFINE_ITERATIONS);

        // One request a second, each alone on the replica: TTFT = 5 + 0.01 · 500 = 10 ms, TPOT = 6 ms,
        // E2E = 10 + 20 · 6 = 130 ms, every request alike, so the 99th percentile is the mean.
        RowResult slow = results.get("slow-constant");
        assertThat(slow.relativeError(TTFT_MEAN)).isCloseTo(10.0 / 8 - 1, within(1e-9));
        assertThat(slow.relativeError(TPOT_MEAN)).isCloseTo(6.0 / 5 - 1, within(1e-9));
        assertThat(slow.relativeError(E2E_MEAN)).isCloseTo(130.0 / 150 - 1, within(1e-9));
        assertThat(slow.relativeError(E2E_P99)).isCloseTo(130.0 / 200 - 1, within(1e-9));
        assertThat(slow.relativeError(ServingMetric.TTFT_P99)).as("not measured").isNaN();
        assertThat(slow.simulatedRequests()).isEqualTo(50);
        assertThat(results.get("unknown-gpu").skipReason()).isEqualTo("unknown GPU 'TPU-v5'");
    }

    @Test
    void fp8RowsRunAtFp8AndUnknownPrecisionsAreSkipped() {
        assertThat(ReplayPlanner.deploymentPrecision("")).isEqualTo("bf16");
        assertThat(ReplayPlanner.deploymentPrecision("fp16")).isEqualTo("bf16");
        assertThat(ReplayPlanner.deploymentPrecision("fp8")).isEqualTo("fp8");
        assertThat(ReplayPlanner.deploymentPrecision("fp4")).isNull();
        assertThat(ReplayPlanner.deploymentPrecision("int4")).isNull();
    }

    @Test
    void theSameSeedGivesTheSameResultsOnOneThreadAsOnTwo() {
        List<BenchmarkRow> rows = BenchmarkFile.read(SILICON).rows();
        List<RowResult> one = new BenchmarkReplay(Catalog.load(), 7, 1, null, ClientStart.TOGETHER, FrontEnds.NONE).run(rows);
        List<RowResult> two = new BenchmarkReplay(Catalog.load(), 7, 2, null, ClientStart.TOGETHER, FrontEnds.NONE).run(rows);
        assertThat(two).isEqualTo(one);
    }

    @Test
    void aMissingColumnIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bench.csv"), Files.readString(SILICON).replaceFirst(",isl,", ",input,"));
        assertThatThrownBy(() -> BenchmarkFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage("bench.csv: missing column isl (AIConfigurator silicon sample (closed loop) format)");
    }

    @Test
    void anUnknownHeaderNamesTheTwoFormats(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bench.csv"), "model,gpu,qps\nx,y,1\n");
        assertThatThrownBy(() -> BenchmarkFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bench.csv: unknown format")
                .hasMessageContaining("silicon_ttft_ms").hasMessageContaining("rate_rps");
    }

    @Test
    void aBadValueNamesItsLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bench.csv"),
                Files.readString(OPEN_LOOP).replace(",1,500,21,", ",1,five hundred,21,"));
        assertThatThrownBy(() -> BenchmarkFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage("bench.csv line 2: prompt_tokens 'five hundred' is not an integer");
    }

    @Test
    void anOpenLoopFileNeedsAMeasuredMetric(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bench.csv"),
                "model,gpu,rate_rps,prompt_tokens,output_tokens\nLlama-3.1-8B,H100-SXM,1,100,10\n");
        assertThatThrownBy(() -> BenchmarkFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bench.csv: missing column ttft_mean_ms (or another measured metric");
    }
}
