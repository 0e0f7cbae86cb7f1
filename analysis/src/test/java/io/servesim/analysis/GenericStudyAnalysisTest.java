package io.servesim.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.servesim.analysis.figures.Figure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericStudyAnalysisTest {

    @TempDir
    Path dir;

    @Test
    void studyOutsideStressPlanGetsRankingsAndEscapedReport() throws IOException {
        // throughput: multi_bin 120 > dynamic 100 > static 90 (saturated, so left out of the latency ranking)
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().step("mixed_workload").scheduler("dynamic").set("config_label", "dynamic <baseline> & co")
                .served(100).e2eP95(2.0);
        fixture.row().step("mixed_workload").scheduler("multi_bin").k(4).served(120).e2eP95(1.5);
        fixture.row().step("mixed_workload").scheduler("static").served(90).e2eP95(0.4).saturated(1.5);
        fixture.write(dir, "mixed_workload_results.csv");

        AnalysisResult result = new Analyzer().analyze(dir);

        assertThat(result.findings().stressPlan()).isFalse();
        assertThat(dir.resolve(Analyzer.STRESS_ANALYSIS_JSON)).doesNotExist();
        assertThat(result.figures()).extracting(Figure::name)
                .containsExactly("mixed_workload_throughput_by_configuration");
        String findings = Files.readString(dir.resolve(Analyzer.FINDINGS_MD));
        assertThat(findings).contains("By throughput: 1. multi_bin K=4 on 1 GPUs 120.0 req/s; "
                + "2. dynamic <baseline> & co 100.0 req/s; 3. static on 1 GPUs 90.00 req/s.");
        assertThat(findings).contains("By p95 e2e latency (unsaturated only): 1. multi_bin K=4 on 1 GPUs 1.50 s; "
                + "2. dynamic <baseline> & co 2.00 s.");
        assertThat(findings).contains("Latency ranking excludes 1 saturated cells: static on 1 GPUs");
        String html = Files.readString(dir.resolve(Analyzer.REPORT_HTML));
        assertThat(html).contains("dynamic &lt;baseline&gt; &amp; co").doesNotContain("<baseline>");
    }

    @Test
    void aConfigurationOfferedTenTimesWhatItServesIsFlaggedAsMassivelyOverloaded() throws IOException {
        // static: 12 arrivals per completion (massive); multi_bin: 1.5 (saturated, not massive)
        ResultsFixture fixture = new ResultsFixture();
        fixture.row().step("mixed_workload").scheduler("dynamic").served(100).e2eP95(2.0);
        fixture.row().step("mixed_workload").scheduler("multi_bin").k(4).served(120).e2eP95(1.5).saturated(1.5);
        fixture.row().step("mixed_workload").scheduler("static").served(90).e2eP95(0.4).saturated(12);
        fixture.write(dir, "mixed_workload_results.csv");

        new Analyzer().analyze(dir);

        String findings = Files.readString(dir.resolve(Analyzer.FINDINGS_MD));
        assertThat(findings).contains("Warning: 1 of them is offered at least 10× what it could serve (static on 1 GPUs)")
                .doesNotContain("(multi_bin K=4 on 1 GPUs): massively");
    }
}
