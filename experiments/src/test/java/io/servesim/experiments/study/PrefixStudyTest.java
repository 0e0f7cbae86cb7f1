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

/**
 * The prefix study on 8 replicas and 64 system prompts (shared_prefix_chat, 4,000 requests, one seed): cache-aware
 * routing keeps each system prompt and each chat's history on few replicas.
 */
class PrefixStudyTest {
    @TempDir
    static Path dir;
    private static String printed;
    private static List<ResultRow> rows;

    @BeforeAll
    static void runTheStudy() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ServeSimCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "study", "prefix", "--requests", "4000", "--replications", "1", "--quiet", "--no-analysis",
                "--out", dir.toString());
        assertThat(exitCode).as(err.toString()).isZero();
        printed = out.toString();
        rows = ResultsCsv.read(dir.resolve("prefix_results.csv"));
    }

    private static ResultRow row(String router) {
        String id = "prefix-" + router + "-r0";
        return rows.stream().filter(r -> r.get("cell_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id));
    }

    @Test
    void everyRouterRunsOnEightReplicasWithCachingOnAndTheSameRequests() {
        assertThat(rows).extracting(r -> r.get("router"))
                .containsExactly("round_robin", "least_loaded", "session_affinity", "prefix_affinity");
        assertThat(rows).extracting(r -> r.get("replicas")).containsOnly("8");
        assertThat(rows).extracting(r -> r.get("seed")).containsOnly(rows.get(0).get("seed"));
        assertThat(rows).allSatisfy(r -> assertThat(r.number("prefix_hit_rate_tokens")).isBetween(0.0, 1.0));
        assertThat(printed).contains("prefix_affinity (load_weight 0.5)");
    }

    @Test
    void prefixAffinityHitsMoreAndAnswersFasterThanRoundRobin() {
        // Round-robin spreads each of the 64 system prompts and each chat over all 8 replicas: every replica must
        // compute every prompt once, and a chat's later turns land where its history is not. Prefix affinity keeps
        // a system prompt on one replica (unless it is far busier) and a chat's turns where its history is.
        ResultRow roundRobin = row("round_robin");
        ResultRow prefix = row("prefix_affinity");
        assertThat(prefix.number("prefix_hit_rate_tokens")).isGreaterThan(roundRobin.number("prefix_hit_rate_tokens"));
        assertThat(prefix.number("prefill_tokens_computed")).isLessThan(roundRobin.number("prefill_tokens_computed"));
        assertThat(prefix.number("ttft_p50_s")).isLessThan(roundRobin.number("ttft_p50_s"));
    }
}
