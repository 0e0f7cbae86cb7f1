package io.servesim.experiments.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the benchmark working: every scenario at a tiny size. The figures themselves are not asserted. */
class BenchCommandTest {

    @Test
    void everyScenarioRunsAtATinySizeAndIsWrittenToBenchCsv(@TempDir Path dir) throws Exception {
        CliTestSupport.Result result = CliTestSupport.run("bench", "--scale", "0.001", "--repeats", "1", "--warmup", "0",
                "--out", dir.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("single_replica").contains("hundred_gpus").contains("heavy_tp8")
                .contains("shared_prefix").contains("disaggregated");
        try (Reader in = Files.newBufferedReader(dir.resolve("bench.csv"));
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<CSVRecord> rows = csv.getRecords();
            assertThat(rows).extracting(r -> r.get("scenario")).containsExactly("single_replica", "hundred_gpus", "heavy_tp8",
                    "shared_prefix", "disaggregated");
            for (CSVRecord row : rows) {
                assertThat(Long.parseLong(row.get("requests"))).isGreaterThanOrEqualTo(100);
                assertThat(Double.parseDouble(row.get("requests_per_wall_s"))).isPositive();
                assertThat(Double.parseDouble(row.get("peak_heap_mib"))).isPositive();
            }
        }
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        CliTestSupport.Result result = CliTestSupport.run("bench", "--scenario", "warp_speed");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("warp_speed").contains("single_replica");
    }
}
