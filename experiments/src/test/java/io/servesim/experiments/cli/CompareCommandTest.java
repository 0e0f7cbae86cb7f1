package io.servesim.experiments.cli;

import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompareCommandTest {
    private static final String SCENARIO = "../docs/examples/scenario.yaml";
    private static final List<String> PAIRS = List.of("continuous,dynamic", "continuous,multi_bin", "dynamic,multi_bin");

    private static CliTestSupport.Result compare(Path out, String rate) {
        return CliTestSupport.run("compare", "--config", SCENARIO, "--set", "workload.requests=2000",
                "--set", "scheduler.type=continuous,dynamic,multi_bin", "--replications", "3", "--rate", rate,
                "--quiet", "--out", out.toString());
    }

    @Test
    void farPastCapacityTheThreeSchedulersDifferSignificantly(@TempDir Path dir) {
        Path out = dir.resolve("compare");
        // 30 req/s is twice the example's capacity (about 15 req/s): the batch schedulers' caps set the decode
        // batch, so p99 TPOT orders them dynamic < multi_bin < continuous in every replication
        CliTestSupport.Result result = compare(out, "30");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<ResultRow> differences = ResultsCsv.read(out.resolve(CompareCommand.DIFFERENCES_FILE));
        for (String pair : PAIRS) {
            ResultRow tpot = find(differences, pair, "tpot_p99_s");
            assertThat(tpot.get("significant")).as(pair).isEqualTo("true");
            assertThat(tpot.number("ci_low") > 0 || tpot.number("ci_high") < 0).as(pair).isTrue();
        }
        assertThat(find(differences, "continuous,dynamic", "tpot_p99_s").get("better")).isEqualTo("dynamic");
        assertThat(find(differences, "dynamic,multi_bin", "tpot_p99_s").get("better")).isEqualTo("dynamic");
        assertThat(result.out()).contains("dynamic is faster than continuous on p99 TPOT by");
        assertThat(out.resolve("figures/compare_goodput.png")).isRegularFile();
    }

    @Test
    void atALightLoadItSaysThereIsNoSignificantDifference(@TempDir Path dir) {
        Path out = dir.resolve("compare");
        // at 6 req/s every request of every arm meets its SLA: goodput and attainment are equal pair by pair
        CliTestSupport.Result result = compare(out, "6");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<ResultRow> differences = ResultsCsv.read(out.resolve(CompareCommand.DIFFERENCES_FILE));
        for (String pair : PAIRS) {
            assertThat(find(differences, pair, "goodput_rps").get("significant")).as(pair).isEqualTo("false");
            assertThat(find(differences, pair, "goodput_fraction").get("significant")).as(pair).isEqualTo("false");
            String[] arms = pair.split(",");
            assertThat(result.out()).contains(arms[0] + " vs " + arms[1] + ": no significant difference in goodput");
        }
        List<ResultRow> rows = ResultsCsv.read(out.resolve(CompareCommand.RESULTS_FILE));
        // every arm serves the same requests in a replication (common random numbers)
        assertThat(rows).hasSize(9);
        for (int r = 0; r < 3; r++) {
            assertThat(rows.get(r).get("seed")).isEqualTo(rows.get(3 + r).get("seed")).isEqualTo(rows.get(6 + r).get("seed"));
        }
    }

    @Test
    void oneReplicationIsAUsageErrorThatWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("compare", "--config", SCENARIO,
                "--set", "scheduler.type=continuous,dynamic", "--replications", "1", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--replications must be >= 2").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    private static ResultRow find(List<ResultRow> differences, String pair, String column) {
        String[] arms = pair.split(",");
        return differences.stream().filter(d -> d.get("arm_a").equals(arms[0]) && d.get("arm_b").equals(arms[1])
                && d.get("column").equals(column)).findFirst().orElseThrow();
    }
}
