package io.servesim.experiments.study;

import io.servesim.experiments.cli.ServeSimCli;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The mixture-of-experts study, run with 400 requests per cell (its capacity searches at full size). */
class MoeStudyTest {
    @TempDir
    static Path dir;
    private static String printed;
    private static List<ResultRow> rows;

    @BeforeAll
    static void runTheStudy() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ServeSimCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "study", "moe", "--requests", "400", "--quiet", "--no-analysis", "--out", dir.toString());
        assertThat(exitCode).as(err.toString()).isZero();
        printed = out.toString();
        rows = ResultsCsv.read(dir.resolve("moe_results.csv"));
    }

    private static double capacity(String key) {
        return rows.stream().filter(r -> r.get("cell_id").equals("moe-" + key + "-r0")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key)).number("capacity_rps_under_sla");
    }

    @Test
    void fourLayoutsAtThreeLoadsAndASkewedArmEachWithItsCapacity() {
        // 4 expert-parallel degrees × 3 loads, and the 4 again with skewed routing at the middle load
        assertThat(rows).hasSize(16);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("model")).isEqualTo("Mixtral-8x22B");
            assertThat(r.number("gpus")).isEqualTo(8);
            assertThat(r.number("capacity_rps_under_sla")).isPositive();
        });
        assertThat(printed).contains("answer, uniform routing: capacity under the SLA TP 8",
                "answer, skewed routing: capacity under the SLA TP 8");
    }

    @Test
    void withUniformRoutingEveryLayoutReadsTheSameExpertBytesSoTheCapacitiesAgree() {
        // 8 experts, top-2: a batch of 16 tokens already touches 8 · (1 − 0.75^16) = 7.92 experts, so every GPU reads
        // one expert's worth of weights per layer whatever the layout, and computes the same pairs; the layouts
        // differ only in their communication (a tenth of the busy time or so: TP's two measured all-reduces per layer
        // against EP's one and its all-to-alls), so their capacities agree within 8 %
        double tp = capacity("ep1-medium");
        for (String ep : new String[] {"ep2", "ep4", "ep8"}) {
            assertThat(capacity(ep + "-medium")).isCloseTo(tp, within(0.08 * tp));
        }
    }

    @Test
    void skewedRoutingCostsExpertParallelismCapacityAndTensorParallelismNothing() {
        // Zipf s = 1: the hottest expert gets p = 2/H_8 = 0.74 of the tokens; with one expert per GPU (EP 8) that GPU
        // computes λ = 8 · 0.74 / 2 = 2.9 times an even share of the pairs and bounds every MoE layer. With TP the
        // experts are split over all 8 GPUs, so skew changes nothing
        assertThat(capacity("ep1-skew-medium")).isEqualTo(capacity("ep1-medium"));
        assertThat(capacity("ep8-skew-medium")).isLessThan(0.8 * capacity("ep1-skew-medium"));
        assertThat(capacity("ep8-skew-medium")).isLessThan(capacity("ep4-skew-medium"));
        assertThat(capacity("ep4-skew-medium")).isLessThanOrEqualTo(capacity("ep2-skew-medium"));
    }
}
