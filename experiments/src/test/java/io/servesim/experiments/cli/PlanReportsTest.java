package io.servesim.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The tables a plan names in its analysis list, run by servesim plan run. */
class PlanReportsTest {
    @TempDir
    Path dir;

    private CliTestSupport.Result run(String analysis) throws IOException {
        Path plan = Files.writeString(dir.resolve("p.yaml"), """
                name: p
                experiment: p
                base: {workload: stress}
                steps:
                  - name: s
                    set: {workload.requests: 60}
                    axes: {scheduler: [{type: continuous}, {type: dynamic}]}
                analysis: %s
                """.formatted(analysis));
        return CliTestSupport.run("plan", "run", plan.toString(), "--out", dir.resolve("out").toString(), "--quiet");
    }

    @Test
    void aChangesTablePrintsEachColumnWithItsChangeAgainstTheFirstConfiguration() throws IOException {
        CliTestSupport.Result result = run("[{name: changes, shown: [success_rate], columns: [throughput_rps]}]");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("success_rate", "throughput_rps", "scheduler=continuous",
                "changes are against scheduler=continuous").containsPattern("scheduler=dynamic .*\\([+-]\\d+\\.\\d%\\)");
        // no findings asked for: no analysis written
        assertThat(dir.resolve("out").resolve("analysis.json")).doesNotExist();
        assertThat(dir.resolve("out").resolve("INCOMPLETE")).doesNotExist();
    }

    @Test
    void aColumnTheResultsDoNotHaveIsOneLineWithExitTwoAfterTheResultsAreWritten() throws IOException {
        CliTestSupport.Result result = run("[{name: changes, columns: [throughput_rsp]}]");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("servesim: analysis: changes.columns: 'throughput_rsp' is not a"
                + " result column (docs/results-schema.md); the results are written, the report is not");
        assertThat(dir.resolve("out").resolve("p_results_s.csv")).isRegularFile();
    }
}
