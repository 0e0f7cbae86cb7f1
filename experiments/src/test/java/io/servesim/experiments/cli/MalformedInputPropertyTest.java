package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong inputs are user mistakes: every malformed scenario, workload, trace, profile or flag combination exits with
 * status 2 and one line that names what is wrong — never a stack trace, never exit 1 — and leaves no output folder.
 * Random mutations of a valid scenario may also stay valid; those run and exit 0.
 */
class MalformedInputPropertyTest {
    private static final String VALID_SCENARIO = """
            seed: 3
            deployment: {model: Llama-2-7B, gpu: H100-SXM, tp: 1, pp: 1, replicas: 1}
            engine: {max_num_seqs: 16, max_num_batched_tokens: 2048, chunked_prefill: false, horizon_seconds: 60}
            scheduler: {type: multi_bin, bins: 2, batching: {type: static, batch_size: 4, max_wait_seconds: 0.5}}
            router: {type: round_robin}
            workload:
              requests: 40
              profiles:
                - name: chat
                  rate_per_second: 10
                  arrival: {type: poisson}
                  prompt: {type: uniform, min: 10, max: 200}
                  output: {type: uniform, min: 5, max: 50}
                  sla: {ttft_seconds: 1.0, tpot_seconds: 0.1}
            metrics: {warmup_fraction: 0.1}
            """;

    /** One change to a scenario tree: replace the value at a path, delete it, or add an unknown key next to it. */
    record Mutation(int pathIndex, String kind, JsonNode value) {
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> values = Arbitraries.of(f.textNode("abc"), f.textNode(""), f.booleanNode(true),
                f.arrayNode().add(1).add(2), f.objectNode().put("x", 1), f.numberNode(-1), f.numberNode(0),
                f.numberNode(-1e30), f.numberNode(1e30), f.numberNode(2_147_483_648L), f.numberNode(1.5), f.nullNode(),
                f.textNode("no_such_name"));
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.of("replace", "delete", "add"),
                values).as(Mutation::new);
    }

    @Property(tries = 120, seed = "20261128")
    void aMutatedScenarioRunsOrExitsTwoWithOneLineAndNoOutput(@ForAll("mutations") Mutation mutation) throws IOException {
        ObjectNode root = (ObjectNode) ConfigMapper.yaml().readTree(VALID_SCENARIO);
        List<Location> locations = new ArrayList<>();
        collect(root, locations);
        apply(locations.get(mutation.pathIndex() % locations.size()), mutation);
        Path dir = Files.createTempDirectory("mutated");
        Path config = Files.writeString(dir.resolve("scenario.yaml"), ConfigMapper.yaml().writeValueAsString(root));
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString(),
                "--no-requests-csv");
        assertThat(result.exitCode()).as(result.err()).isIn(0, 2);
        assertNoStackTrace(result);
        if (result.exitCode() == 2) {
            assertOneLineMistake(result);
            assertThat(out).doesNotExist();
        }
    }

    /** Where a value sits in the tree: its parent and its key or index. */
    record Location(JsonNode parent, String field, int index) {
    }

    private static void collect(JsonNode node, List<Location> into) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                into.add(new Location(object, name, -1));
                collect(object.get(name), into);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                into.add(new Location(array, null, i));
                collect(array.get(i), into);
            }
        }
    }

    private static void apply(Location at, Mutation mutation) {
        if (at.parent() instanceof ObjectNode object) {
            switch (mutation.kind()) {
                case "replace" -> object.set(at.field(), mutation.value());
                case "delete" -> object.remove(at.field());
                default -> object.set("unknown_key", mutation.value());
            }
        } else {
            ArrayNode array = (ArrayNode) at.parent();
            switch (mutation.kind()) {
                case "replace" -> array.set(at.index(), mutation.value());
                case "delete" -> array.remove(at.index());
                default -> array.add(mutation.value());
            }
        }
    }

    // ---- traces -------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> badTraces() {
        String header = "arrival_s,prompt_tokens,output_tokens\n";
        return Arbitraries.of(
                "",
                header,
                "time,prompt,output\n0.0,10,10\n",
                header + "0.0,10,10\n1.0,abc,10\n",
                header + "0.0,10,10\n1.0,10\n",
                header + "2.0,10,10\n1.0,10,10\n",
                header + "-1.0,10,10\n",
                header + "0.0,-5,10\n",
                header + "0.0,10,99999999999\n",
                header + "NaN,10,10\n",
                "TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,10,10\n",
                "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9,10,10\n2023-11-16 18:17:01.0,10,10\n",
                "\u0000\u0001\u0002\"\n\"");
    }

    @Property(tries = 13, seed = "20261128")
    void aBrokenTraceFileIsAUserMistake(@ForAll("badTraces") String trace) throws IOException {
        Path dir = Files.createTempDirectory("trace");
        Path file = Files.writeString(dir.resolve("trace.csv"), trace);
        Path config = Files.writeString(dir.resolve("scenario.yaml"), """
                workload:
                  profiles:
                    - name: replay
                      arrival: {type: trace, path: %s}
                """.formatted(file.toString().replace("\\", "/")));
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", config.toString(), "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertNoStackTrace(result);
        assertOneLineMistake(result);
        assertThat(result.err()).contains("trace.csv");
        assertThat(out).doesNotExist();
    }

    // ---- flags --------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<String>> badCommandLines() {
        return Arbitraries.of(
                List.of("run"),
                List.of("run", "--config"),
                List.of("run", "--config", "missing.yaml"),
                List.of("run", "--config", "missing.yaml", "--seed", "abc"),
                List.of("run", "--config", "missing.yaml", "--requests", "many"),
                List.of("analyze"),
                List.of("analyze", "no/such/folder"),
                List.of("validate", "--profile", "no/such/profile.csv"),
                List.of("validate", "--physics-tolerance", "-1"),
                List.of("validate", "--physics-tolerance", "NaN"),
                List.of("validate", "--quick", "--bogus"),
                List.of("steptime"),
                List.of("steptime", "--model", "Llama-2-7B"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--decode-batch", "-3"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--prefill-tokens", "x"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--tp", "0", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--tp", "3", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--pp", "33", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "B300", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-9", "--gpu", "H100-SXM", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--kv-len", "100"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--context", "100", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--decode-batch", "99999999999"),
                List.of("steptime", "--model", "Llama-2-70B", "--gpu", "L40S", "--decode-batch", "1"),
                List.of("steptime", "--model", "Llama-2-7B", "--gpu", "H100-SXM", "--decode-batch", "1",
                        "--catalog", "no/such/catalog.json"),
                List.of("no-such-command"));
    }

    @Property(tries = 27, seed = "20261128")
    void aWrongFlagCombinationIsAUserMistake(@ForAll("badCommandLines") List<String> args) {
        CliTestSupport.Result result = CliTestSupport.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s: %s", args, result.err()).isEqualTo(2);
        assertNoStackTrace(result);
        assertThat(result.err()).startsWith("servesim: ");
    }

    @Example
    void aModelThatDoesNotFitShowsTheMemoryArithmetic() {
        CliTestSupport.Result result = CliTestSupport.run("steptime", "--model", "Llama-2-70B", "--gpu", "H100-SXM",
                "--decode-batch", "1");
        assertThat(result.exitCode()).isEqualTo(2);
        // 70B parameters at 2 bytes = 128.5 GiB of weights on one GPU with 71.6 GiB usable.
        assertThat(result.err()).contains("weights 128.48 GiB").contains("71.64 GiB").contains("tp 1, pp 1");
        assertOneLineMistake(result);
    }

    @Example
    void aProfileNamingAnUnknownModelFailsBeforeAnyRun() throws IOException {
        Path dir = Files.createTempDirectory("profile");
        Path profile = Files.writeString(dir.resolve("p.csv"), """
                model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms
                Falcon-40B,H100-SXM,1,128,0,0,10
                Falcon-40B,H100-SXM,1,0,8,512,9
                """);
        Path out = dir.resolve("out");
        CliTestSupport.Result result = CliTestSupport.run("validate", "--profile", profile.toString(), "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("profile Falcon-40B/H100-SXM/tp1").contains("not in the catalog");
        assertOneLineMistake(result);
        assertThat(out).doesNotExist();
    }

    private static void assertNoStackTrace(CliTestSupport.Result result) {
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.out()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertOneLineMistake(CliTestSupport.Result result) {
        assertThat(result.err()).startsWith("servesim: ");
        assertThat(result.err().strip().lines()).hasSize(1);
    }
}
