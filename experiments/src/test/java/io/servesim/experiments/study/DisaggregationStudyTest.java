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
        assertThat(rows).hasSize(2 * 3 * DisaggregationStudy.CONFIGURATIONS.size());
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
        DisaggregationStudy.Configuration equalCost = DisaggregationStudy.CONFIGURATIONS.stream()
                .filter(c -> c.key().equals("ha-cost")).findFirst().orElseThrow();
        assertThat(equalCost.cost(DisaggregationStudy.TRACES.get(0))).isCloseTo(15.41, within(0.01));
        assertThat(equalCost.cost(DisaggregationStudy.TRACES.get(1))).isCloseTo(15.70, within(0.01));
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
    void theStudyWritesItsTableAndFigures() throws Exception {
        assertThat(Files.readAllLines(dir.resolve("disaggregation_summary.csv"))).hasSize(1 + rows.size());
        for (String name : List.of("goodput_per_cost_conv", "energy_per_token_conv", "goodput_per_cost_code",
                "energy_per_token_code")) {
            assertThat(dir.resolve(DisaggregationStudy.FIGURES).resolve("disaggregation_" + name + ".png"))
                    .isRegularFile();
        }
    }
}
