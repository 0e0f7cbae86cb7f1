package io.servesim.experiments.study;

import io.servesim.experiments.cli.ServeSimCli;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The disaggregation study on the first 200 requests of each Azure trace, one seed. */
class DisaggregationStudyTest {
    @TempDir
    static Path dir;
    private static List<ResultRow> rows;

    @BeforeAll
    static void runTheStudy() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ServeSimCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "study", "disaggregation", "--requests", "200", "--quiet", "--no-analysis", "--out", dir.toString());
        assertThat(exitCode).as(err.toString()).isZero();
        rows = ResultsCsv.read(dir.resolve("disaggregation_results.csv"));
    }

    private static ResultRow row(String configuration, String trace, String load) {
        String id = "disaggregation-" + configuration + "-" + trace + "-x" + load + "-r0";
        return rows.stream().filter(r -> r.get("cell_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id));
    }

    @Test
    void everyConfigurationRunsOnBothTracesAtThreeLoadsAndAccountsForEveryRequest() {
        // 2 traces × 6 clusters × 3 loads
        assertThat(rows).hasSize(2 * 6 * 3);
        assertThat(rows).allSatisfy(r -> assertThat(r.number("completed") + r.number("failed")
                + r.number("in_flight")).isEqualTo(r.number("arrived")));
        assertThat(rows).allSatisfy(r -> assertThat(r.number("energy_per_output_token_j")).isPositive());
        assertThat(row("agg-h100", "conv", "1").number("kv_transfers")).isZero();
        ResultRow heterogeneous = row("ha", "conv", "1");
        assertThat(heterogeneous.get("gpu_type")).isEqualTo("H100-SXM+A100-80GB");
        assertThat(heterogeneous.number("gpus")).isEqualTo(16);
        assertThat(heterogeneous.number("kv_transfers")).isEqualTo(heterogeneous.number("arrived"));
        // The coding trace's split is 3 prefill : 1 decode, the equal-cost cluster's decode pool twice as large.
        assertThat(row("ha-cost", "code", "4").number("gpus")).isEqualTo(20);
        assertThat(row("ha-cost", "conv", "4").number("gpus")).isEqualTo(24);
    }

    @Test
    void theEqualCostClusterCostsNoMoreThanSixteenH100s() {
        // conv: 8 H100s + 16 A100s at 1/2.16 of an H100 each = 8 + 7.41 = 15.41 H100 units;
        // code: 12 H100s + 8 A100s = 12 + 3.70 = 15.70.
        List<ResultRow> summary = ResultsCsv.read(dir.resolve("disaggregation_summary.csv"));
        assertThat(summary).filteredOn(r -> r.get("trace").equals("conv")
                        && r.get("configuration").equals("2 H100 P + 4 A100 D"))
                .hasSize(3).allSatisfy(r -> assertThat(r.number("cost_h100_units")).isCloseTo(15.41, within(0.01)));
        assertThat(summary).filteredOn(r -> r.get("trace").equals("code")
                        && r.get("configuration").equals("3 H100 P + 2 A100 D"))
                .hasSize(3).allSatisfy(r -> assertThat(r.number("cost_h100_units")).isCloseTo(15.70, within(0.01)));
    }

    @Test
    void splittingThePhasesRemovesPrefillInterferenceFromTheTokenTimes() {
        // Aggregated, a decode step that shares its iteration with a prompt's chunk waits for it; a decode replica
        // never prefills, so its p99 time per output token stays near its median (Splitwise, DistServe).
        for (String load : List.of("1", "2", "4")) {
            assertThat(row("hh", "conv", load).number("tpot_p99_s"))
                    .isLessThan(row("agg-h100", "conv", load).number("tpot_p99_s"));
        }
    }

    @Test
    void cappingTheDecodeGpusChangesNothingARunMeasuresButTheProvisionedPower() throws Exception {
        // Decode iterations are memory-bound (the cap scales compute only) and draw 61 % of TDP, under the 70 % cap:
        // the capped cluster's runs are the uncapped ones, number for number.
        for (String trace : List.of("conv", "code")) {
            for (String load : List.of("1", "2", "4")) {
                for (String column : List.of("ttft_p99_s", "tpot_p99_s", "goodput_rps", "energy_j",
                        "energy_per_output_token_j")) {
                    assertThat(row("hhcap", trace, load).get(column)).as(trace + " x" + load + " " + column)
                            .isEqualTo(row("hh", trace, load).get(column));
                }
            }
        }
        // conv: 8 prefill H100s at 700 W + 8 decode H100s at 0.7 · 700 W = 9.52 kW against 11.2 kW uncapped.
        List<String> summary = Files.readAllLines(dir.resolve("disaggregation_summary.csv"));
        assertThat(summary).anyMatch(l -> l.startsWith("conv,2 H100 P + 2 H100 D capped 70%,16,16.0,9.52,"))
                .anyMatch(l -> l.startsWith("conv,2 H100 P + 2 H100 D,16,16.0,11.2,"));
    }

    @Test
    void decodeReplicasSpendLessEnergyPerOutputTokenThanAggregatedOnes() {
        // Aggregated replicas run their mixed iterations at prefill power (100 % of TDP), decode replicas theirs at
        // 61 %: at equal GPU count and load, less energy per output token on the conversation trace.
        for (String load : List.of("1", "2")) {
            assertThat(row("hh", "conv", load).number("energy_per_output_token_j"))
                    .isLessThan(row("agg-h100", "conv", load).number("energy_per_output_token_j"));
        }
    }

    @Test
    void aKvTransferTakesMillisecondsSmallAgainstTheTtftSla() {
        // A 1,020-token prompt of Llama-3.1-70B (the conversation trace's median) is 334 MB, four 83.6 MB flows over
        // 50 GB/s InfiniBand: 1.67 ms alone. Milliseconds, from about 1 ms for the shorter prompts to a few for
        // transfers that share links: far under the 2 s TTFT limit.
        for (String key : List.of("hh", "ha", "ha-cost")) {
            for (String trace : List.of("conv", "code")) {
                assertThat(row(key, trace, "1").number("kv_transfer_mean_s")).as(key + " " + trace)
                        .isBetween(0.001, 0.02);
            }
        }
    }

    @Test
    void theStudyWritesItsTableAndFigures() throws Exception {
        assertThat(Files.readAllLines(dir.resolve("disaggregation_summary.csv"))).hasSize(1 + rows.size());
        for (String name : List.of("goodput_per_cost_conv", "energy_per_token_conv", "goodput_per_cost_code",
                "energy_per_token_code")) {
            assertThat(dir.resolve("study_figures").resolve("disaggregation_" + name + ".png"))
                    .isRegularFile();
        }
    }
}
