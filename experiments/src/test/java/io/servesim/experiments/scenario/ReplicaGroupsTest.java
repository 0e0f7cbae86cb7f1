package io.servesim.experiments.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.RequestTable;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Aggregated deployments whose replicas are of different GPU types ({@code deployment.replica_groups}). */
class ReplicaGroupsTest {

    private static Scenario scenario(String yaml) {
        try {
            return Scenario.fromTree((ObjectNode) ConfigMapper.yaml().readTree(yaml));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(yaml, e);
        }
    }

    @Test
    void twoGroupsOfKnownSpeedSplitABurstByTheirServiceRates() {
        // One H100 and one A100-80GB replica of Llama-2-7B; 100 requests of 100 + 10 tokens arrive within 1 ms, before
        // any ends. The router's reference iteration (token budget 8,192: 64 decodes of 1,024 tokens and a chunk of
        // 8,128) takes 229.739 ms on the H100 and 792.992 ms on the A100:
        //   ./servesim steptime --model Llama-2-7B --gpu H100-SXM --prefill-tokens 8128 --decode-batch 64 --kv-len 1024
        // and the same with --gpu A100-80GB. Equal requests go where (k + 1) · t is least, k the replica's requests so
        // far: the 100 smallest of {j · 229.739} ∪ {j · 792.992} (j ≥ 1). 78 · 229.739 = 17,919.6 is the 100th
        // (22 · 792.992 = 17,445.8 < it < 23 · 792.992 = 18,238.8): 78 requests on the H100, 22 on the A100.
        Scenario s = scenario("""
                seed: 5
                deployment:
                  model: Llama-2-7B
                  replica_groups: [{gpu: H100-SXM}, {gpu: A100-80GB}]
                router: {type: weighted_least_loaded}
                workload:
                  requests: 100
                  profiles:
                    - name: burst
                      rate_per_second: 100000
                      arrival: {type: constant}
                      prompt: {type: fixed, value: 100}
                      output: {type: fixed, value: 10}
                """);
        ScenarioRun run = ScenarioRunner.run(s);
        int onH100 = 0;
        for (int i = 0; i < run.result().requests().size(); i++) {
            onH100 += run.result().requests().replica(i) == 0 ? 1 : 0;
        }
        assertThat(onH100).isEqualTo(78);
        assertThat(run.metrics().completed()).isEqualTo(100);
        assertThat(s.gpuTypes()).isEqualTo("H100-SXM+A100-80GB");
        assertThat(s.gpus()).isEqualTo(2);
    }

    @Test
    void eachGroupRunsWithItsOwnGpuAndEveryRequestIsAccountedFor() {
        Scenario s = Scenario.read(Path.of("../docs/examples/scenario-mixed-gpus.yaml"),
                java.util.List.of("workload.requests=3000"));
        ScenarioRun run = ScenarioRunner.run(s);

        assertThat(run.metrics().arrived()).isEqualTo(3000);
        assertThat(run.metrics().arrived()).isEqualTo(run.metrics().completed() + run.metrics().failed()
                + run.metrics().inFlight());
        // Replicas 0-1 are H100s, 2-3 A100-80GBs: their KV caches differ (57.09 and 57.45 GiB of 512 KiB tokens:
        // 7,307 and 7,353 blocks, `servesim steptime` prints both) and so do their powers (TDP 700 and 400 W).
        assertThat(run.result().cluster().replica(0).totalKvBlocks()).isEqualTo(7307);
        assertThat(run.result().cluster().replica(3).totalKvBlocks()).isEqualTo(7353);
        assertThat(run.result().cluster().replica(0).power().tdpWatts()).isEqualTo(700);
        assertThat(run.result().cluster().replica(3).power().tdpWatts()).isEqualTo(400);
        // The H100s, about three times as fast, take most of the traffic.
        RequestTable t = run.result().requests();
        int onH100 = 0;
        for (int i = 0; i < t.size(); i++) {
            onH100 += t.replica(i) < 2 ? 1 : 0;
        }
        assertThat(onH100).isGreaterThan(3000 * 2 / 3);
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        Scenario s = Scenario.read(Path.of("../docs/examples/scenario-mixed-gpus.yaml"),
                java.util.List.of("workload.requests=2000"));
        ScenarioRun a = ScenarioRunner.run(s);
        ScenarioRun b = ScenarioRunner.run(s);

        assertThat(b.metrics().columns()).isEqualTo(a.metrics().columns());
        RequestTable ta = a.result().requests();
        RequestTable tb = b.result().requests();
        for (int i = 0; i < ta.size(); i++) {
            assertThat(tb.replica(i)).isEqualTo(ta.replica(i));
            assertThat(tb.finishTime(i)).isEqualTo(ta.finishTime(i));
        }
    }

    @Test
    void aGroupThatCannotBeDeployedIsNamedByItsIndex() {
        Scenario s = scenario("""
                deployment:
                  model: Llama-2-7B
                  replica_groups: [{gpu: H100-SXM, tp: 2}, {gpu: A100-80GB, tp: 2, pp: 64}]
                workload: {requests: 10, profiles: [{name: a, rate_per_second: 1, arrival: {type: poisson},
                           prompt: {type: fixed, value: 10}, output: {type: fixed, value: 10}}]}
                """);
        assertThatThrownBy(() -> ScenarioRunner.check(s)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("deployment.replica_groups[1].pp must be in [1, 32]");
    }
}
