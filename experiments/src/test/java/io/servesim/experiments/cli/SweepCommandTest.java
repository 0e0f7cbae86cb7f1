package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SweepCommandTest {
    /** One Llama-2-7B replica on an H100 (the example scenario) with 1,500 requests per run. */
    private static final String SCENARIO = "../docs/examples/scenario.yaml";

    @Test
    void capacityMarkOfEachConfigurationAgreesWithTheCapacityCommand(@TempDir Path dir) throws Exception {
        Path sweep = dir.resolve("sweep");
        CliTestSupport.Result result = CliTestSupport.run("sweep", "--config", SCENARIO, "--rates", "4:20:8",
                "--set", "workload.requests=1500", "--set", "scheduler.type=continuous,multi_bin",
                "--tolerance", "0.05", "--quiet", "--no-analysis", "--out", sweep.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(sweep.resolve(SweepCommand.RESULTS_FILE));
        // 2 configurations x 3 rates (4, 12, 20 req/s), one replication each, in that order
        assertThat(rows).extracting(r -> r.get("cell_id")).containsExactly(
                "continuous-rate4.0-r0", "continuous-rate12.0-r0", "continuous-rate20.0-r0",
                "multi_bin-rate4.0-r0", "multi_bin-rate12.0-r0", "multi_bin-rate20.0-r0");
        for (String arm : List.of("continuous", "multi_bin")) {
            Path capacity = dir.resolve("capacity-" + arm);
            CliTestSupport.Result alone = CliTestSupport.run("capacity", "--config", SCENARIO,
                    "--set", "workload.requests=1500", "--set", "scheduler.type=" + arm, "--tolerance", "0.05",
                    "--out", capacity.toString());
            assertThat(alone.exitCode()).as(alone.err()).isZero();
            JsonNode json = ConfigMapper.json().readTree(capacity.resolve("capacity.json").toFile());
            double expected = json.get("capacity_rps_under_sla").asDouble();
            assertThat(expected).isPositive();
            for (ResultRow row : rows) {
                if (row.get("config_label").equals(arm)) {
                    assertThat(row.number("capacity_rps_under_sla")).as(arm).isCloseTo(expected, within(0.05 * expected));
                }
            }
        }
    }

    @Test
    void everyConfigurationSeesTheSameRequestsAtARateAndSaturationIsReported(@TempDir Path dir) {
        Path sweep = dir.resolve("sweep");
        // capacity of the example is about 15 req/s: 4 req/s is steady, 40 req/s is far past it
        CliTestSupport.Result result = CliTestSupport.run("sweep", "--config", SCENARIO, "--rates", "4,40",
                "--set", "workload.requests=1500", "--set", "scheduler.type=continuous,dynamic", "--no-capacity",
                "--quiet", "--out", sweep.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<ResultRow> rows = ResultsCsv.read(sweep.resolve(SweepCommand.RESULTS_FILE));
        assertThat(rows).hasSize(4);
        // common random numbers: the seed is the workload's and the replication's, not the scheduler's
        assertThat(rows.get(0).get("seed")).isEqualTo(rows.get(2).get("seed")).isNotEqualTo(rows.get(1).get("seed"));
        assertThat(rows.get(0).get("saturated")).isEqualTo("false");
        assertThat(rows.get(1).get("saturated")).isEqualTo("true");
        assertThat(result.out()).contains("SATURATED");
        assertThat(sweep.resolve("figures/sweep_ttft_vs_offered.png")).isRegularFile();
        assertThat(sweep.resolve("figures/sweep_slo_attainment.png")).isRegularFile();
        assertThat(sweep.resolve("INCOMPLETE")).doesNotExist();
    }

    @Test
    void aDescendingRateLadderIsAUsageErrorThatWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("sweep", "--config", SCENARIO, "--rates", "40:2:2",
                "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--rates 40:2:2: STEP must be > 0 and STOP >= START")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnknownSchedulerInAnAxisIsAUsageErrorThatWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("sweep", "--config", SCENARIO, "--rates", "2:4:2",
                "--set", "scheduler.type=continuous,fastest", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("fastest").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }
}
