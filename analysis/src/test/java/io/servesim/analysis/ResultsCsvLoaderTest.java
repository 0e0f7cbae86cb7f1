package io.servesim.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvLoaderTest {

    @TempDir
    Path dir;

    private final ResultsCsvLoader loader = new ResultsCsvLoader();

    @Test
    void missingFolderIsNamedInTheError() {
        Path missing = dir.resolve("no-such-run");

        assertThatThrownBy(() -> loader.loadResults(missing))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such results folder");
    }

    @Test
    void emptyFolderSaysNoResultCsvs() {
        assertThatThrownBy(() -> loader.loadResults(dir))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("no result CSVs");
    }

    @Test
    void csvMissingRequiredColumnNamesFileAndColumn() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row();
        Path file = fixture.writeWithout(dir, "study_results.csv", "goodput_rps");

        assertThatThrownBy(() -> loader.loadResults(dir))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("missing required column goodput_rps");
    }

    @Test
    void aPlansTimingsBesideItsResultsAreNotAResultFile() throws IOException {
        // a one-step plan with file prefix "schedulers_results" writes schedulers_results.csv and
        // schedulers_results_timings.csv; only the first holds result rows
        ResultsFixture fixture = new ResultsFixture();
        fixture.row();
        fixture.write(dir, "schedulers_results.csv");
        Files.writeString(dir.resolve("schedulers_results_timings.csv"), "cell_id,wall_seconds\nc-r0,1.5\n");

        assertThat(loader.loadResults(dir).files()).containsExactly("schedulers_results.csv");
    }

    @Test
    void headerWithoutRowsIsReported() throws IOException {
        Files.writeString(dir.resolve("study_results.csv"), String.join(",", ResultsFixture.COLUMNS) + "\n");

        assertThatThrownBy(() -> loader.loadResults(dir))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining("study_results.csv")
                .hasMessageContaining("no rows");
    }

    @Test
    void saturatedMustBeTrueOrFalse() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().set("saturated", "maybe");
        fixture.write(dir, "study_results.csv");

        assertThatThrownBy(() -> loader.loadResults(dir))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining("study_results.csv")
                .hasMessageContaining("'saturated' must be true or false, got 'maybe'");
    }

    @Test
    void allResultsFileReplacesTheStepFilesItCovers() {
        ResultsFixture step1 = new ResultsFixture();
        step1.row().served(10);
        step1.write(dir, "comprehensive_stress_results_step1_request_scaling.csv");
        ResultsFixture all = new ResultsFixture();
        all.row().served(10);
        all.row().step(ResultsSchema.STEP_GPU_SCALING).gpus(2).served(20);
        all.write(dir, "comprehensive_stress_results_all_results.csv");

        ResultsCsvLoader.LoadedResults results = loader.loadResults(dir);

        assertThat(results.files()).containsExactly("comprehensive_stress_results_all_results.csv");
        assertThat(results.rows().rowCount()).isEqualTo(2);
    }

    @Test
    void completedRequestLatenciesArePooledPerConfiguration() {
        ResultsFixture.writeRequests(dir, "step1-dynamic-g1-n1000-r0", 1.0, 2.0);
        ResultsFixture.writeRequests(dir, "step1-dynamic-g1-n1000-r1", 3.0);

        Map<String, double[]> latencies = loader.loadCompletedE2eByConfig(dir);

        assertThat(latencies).containsOnlyKeys("step1-dynamic-g1-n1000");
        assertThat(latencies.get("step1-dynamic-g1-n1000")).containsExactlyInAnyOrder(1.0, 2.0, 3.0);
    }
}
