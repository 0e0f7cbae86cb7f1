package io.servesim.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table of malformed inputs — configs, {@code --set} overrides, flags, traces, profiles and output folders — fed
 * to the command line in-process. For each: exit status 2, one line that names the field (or flag, or file) at
 * fault in the project's words (no Java class name, no stack trace, no raw bytes of the input), and nothing written.
 */
class MalformedInputTableTest {

    /** A scenario that runs; each case changes one thing of it. */
    private static final String VALID = """
            seed: 3
            deployment: {model: Llama-2-7B, gpu: H100-SXM, tp: 1, pp: 1, replicas: 1}
            engine: {max_num_seqs: 16, max_num_batched_tokens: 2048}
            scheduler: {type: continuous}
            router: {type: round_robin}
            workload:
              requests: 40
              profiles:
                - name: chat
                  rate_per_second: 10
                  arrival: {type: poisson}
                  prompt: {type: uniform, min: 10, max: 200}
                  output: {type: uniform, min: 5, max: 50}
            """;

    private static final String TRACE_HEADER = "arrival_s,prompt_tokens,output_tokens\n";

    /**
     * One malformed input.
     *
     * @param name     what is wrong
     * @param field    what the message must name
     * @param config   the scenario file's text (written as c.yaml), or null for none
     * @param sideFile a second file's text (written as side.csv, e.g. a trace or a profile), or null
     * @param args     the command line; {@code $C} is the config, {@code $S} the side file, {@code $D} the test's
     *                 folder, {@code $OUT} a fresh output folder, {@code $FILE} an existing regular file
     */
    record Case(String name, String field, String config, String sideFile, String... args) {
        @Override
        public String toString() {
            return name;
        }

        Case withConfig(java.util.function.UnaryOperator<String> change) {
            return new Case(name, field, change.apply(config), sideFile, args);
        }
    }

    private static String scenario(String from, String to) {
        if (!VALID.contains(from)) {
            throw new IllegalArgumentException("the valid scenario has no '" + from + "'");
        }
        return VALID.replace(from, to);
    }

    private static Case config(String name, String field, String from, String to) {
        return new Case(name, field, scenario(from, to), null, "run", "--config", "$C", "--out", "$OUT");
    }

    private static Case set(String name, String field, String assignment) {
        return new Case(name, field, VALID, null, "run", "--config", "$C", "--set", assignment, "--out", "$OUT");
    }

    /** A scenario replaying the trace side.csv, named relative to the scenario's folder. */
    private static final String REPLAY = """
            workload:
              profiles:
                - name: replay
                  arrival: {type: trace, path: side.csv}
            """;

    private static Case trace(String name, String trace) {
        return new Case(name, "side.csv", REPLAY, trace, "run", "--config", "$C", "--out", "$OUT");
    }

    private static Case flags(String name, String field, String... args) {
        return new Case(name, field, VALID, null, args);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                // integers: fractional, null, out of range, text, below the minimum
                config("fractional tp", "deployment.tp", "tp: 1,", "tp: 1.5,"),
                config("fractional replicas", "deployment.replicas", "replicas: 1}", "replicas: 2.7}"),
                config("fractional request count", "workload.requests", "requests: 40", "requests: 200.9"),
                config("fractional seed", "seed", "seed: 3", "seed: 42.5"),
                config("null tp", "deployment.tp", "tp: 1,", "tp: null,"),
                config("null replicas", "deployment.replicas", "replicas: 1}", "replicas: ~}"),
                config("tp beyond an int", "deployment.tp", "tp: 1,", "tp: 99999999999,"),
                config("seed beyond a long", "seed", "seed: 3", "seed: 99999999999999999999999"),
                config("tp as text", "deployment.tp", "tp: 1,", "tp: two,"),
                config("tp zero", "deployment.tp", "tp: 1,", "tp: 0,"),
                config("negative pp", "deployment.pp", "pp: 1,", "pp: -1,"),
                config("max_num_seqs zero", "engine.max_num_seqs", "max_num_seqs: 16", "max_num_seqs: 0"),
                config("fractional max_num_seqs", "engine.max_num_seqs", "max_num_seqs: 16", "max_num_seqs: 1.5"),
                config("token budget beyond an int", "engine.max_num_batched_tokens", "max_num_batched_tokens: 2048",
                        "max_num_batched_tokens: 99999999999"),
                config("seed as text", "seed", "seed: 3", "seed: abc"),
                // names and types
                config("unknown model", "deployment.model", "model: Llama-2-7B", "model: Llama-9"),
                // replica groups of an aggregated deployment that mixes GPU types
                config("empty replica groups", "deployment.replica_groups must list at least one group",
                        "replicas: 1}", "replicas: 1, replica_groups: []}"),
                config("a replica group without a GPU", "deployment.replica_groups[1].gpu",
                        "replicas: 1}", "replicas: 1, replica_groups: [{gpu: H100-SXM}, {tp: 2}]}"),
                config("a replica group's unknown GPU", "deployment.replica_groups[1].gpu",
                        "replicas: 1}", "replicas: 1, replica_groups: [{gpu: H100-SXM}, {gpu: B300}]}"),
                config("a replica group's tp that does not divide the heads", "deployment.replica_groups[1].tp must"
                        + " divide the attention heads", "replicas: 1}",
                        "replicas: 1, replica_groups: [{gpu: H100-SXM}, {gpu: A100-80GB, tp: 3}]}"),
                config("a replica group of zero replicas", "deployment.replica_groups[0].replicas",
                        "replicas: 1}", "replicas: 1, replica_groups: [{gpu: H100-SXM, replicas: 0}]}"),
                config("a replica group that does not fit", "deployment.replica_groups[1]: Llama-2-70B does not fit on"
                        + " L40S", "replicas: 1}", "replicas: 1, replica_groups: [{gpu: H100-SXM, tp: 4}, {gpu: L40S}]}")
                        .withConfig(
                        c -> c.replace("model: Llama-2-7B", "model: Llama-2-70B")),
                config("unknown GPU", "deployment.gpu", "gpu: H100-SXM", "gpu: B300"),
                config("a boolean as text", "engine.chunked_prefill", "max_num_seqs: 16,",
                        "chunked_prefill: maybe, max_num_seqs: 16,"),
                config("unknown engine key", "engine.bogus", "max_num_seqs: 16,", "bogus: 1, max_num_seqs: 16,"),
                config("unknown section", "bogus", "seed: 3", "seed: 3\nbogus: 1"),
                config("unknown scheduler", "scheduler: unknown type 'fifo_magic'; known types: [continuous,", "{type: continuous}", "{type: fifo_magic}"),
                config("batching inside continuous", "scheduler.batching",
                        "{type: continuous}", "{type: continuous, batching: {type: static}}"),
                config("unknown router", "router: unknown type 'nearest'", "{type: round_robin}", "{type: nearest}"),
                config("unknown workload preset", "workload", "workload:\n  requests: 40\n  profiles:\n    - name: chat\n"
                        + "      rate_per_second: 10\n      arrival: {type: poisson}\n"
                        + "      prompt: {type: uniform, min: 10, max: 200}\n      output: {type: uniform, min: 5, max: 50}\n",
                        "workload: no_such_preset\n"),
                config("negative rate", "workload.profiles[0].rate_per_second", "rate_per_second: 10",
                        "rate_per_second: -1"),
                config("null rate", "workload.profiles[0].share or rate_per_second", "rate_per_second: 10", "rate_per_second: null"),
                config("uniform min above max", "workload.profiles[0].prompt", "{type: uniform, min: 10, max: 200}",
                        "{type: uniform, min: 300, max: 200}"),
                config("unknown distribution", "workload.profiles[0].output", "{type: uniform, min: 5, max: 50}",
                        "{type: zipfian, min: 5, max: 50}"),
                config("unknown arrival", "workload.profiles[0].arrival", "{type: poisson}", "{type: gamma_ray}"),
                config("warmup too large", "metrics.warmup_fraction", "seed: 3", "seed: 3\nmetrics: {warmup_fraction: 0.7}"),
                config("tp that does not divide the heads", "deployment.tp", "tp: 1,", "tp: 3,"),
                config("a model too large for the GPU", "deployment", "model: Llama-2-7B, gpu: H100-SXM",
                        "model: Llama-2-70B, gpu: L40S"),
                new Case("missing trace file", "no/such/trace.csv", REPLAY.replace("side.csv", "no/such/trace.csv"), null,
                        "run", "--config", "$C", "--out", "$OUT"),
                config("a pipeline the scheduler cannot serve", "pp = 2", "{type: continuous}",
                        "{type: parallel_stream}").withConfig(c -> c.replace("pp: 1,", "pp: 2,"))));
        cases.addAll(List.of(
                // whole files
                new Case("YAML syntax error", "c.yaml", "deployment: {tp: 1\nseed: [", null, "run", "--config", "$C", "--out", "$OUT"),
                new Case("empty config", "c.yaml", "", null, "run", "--config", "$C", "--out", "$OUT"),
                new Case("a list at the root", "c.yaml", "- seed: 3\n", null, "run", "--config", "$C", "--out", "$OUT"),
                new Case("binary config", "c.yaml", "\u0000\u0001\u0002\u00ff\u00fe binary", null, "run", "--config", "$C", "--out", "$OUT"),
                new Case("duplicate key", "seed", "seed: 3\nseed: 4\n" + VALID.replace("seed: 3\n", ""), null,
                        "run", "--config", "$C", "--out", "$OUT"),
                new Case("missing config file", "--config", null, null, "run", "--config", "$D/missing.yaml", "--out", "$OUT"),
                new Case("config is a folder", "--config", null, null, "run", "--config", "$D", "--out", "$OUT"),
                // traces
                trace("empty trace", ""),
                trace("trace without the columns", "time,prompt,output\n0.0,10,10\n"),
                trace("trace with text for a count", TRACE_HEADER + "0.0,10,10\n1.0,abc,10\n"),
                trace("trace with a short row", TRACE_HEADER + "0.0,10,10\n1.0,10\n"),
                trace("trace going back in time", TRACE_HEADER + "2.0,10,10\n1.0,10,10\n"),
                trace("trace with negative tokens", TRACE_HEADER + "0.0,-5,10\n"),
                trace("trace with a count beyond an int", TRACE_HEADER + "0.0,10,99999999999\n"),
                trace("binary trace", "\u0000\u0001\u0002\u00ff\u00fe\"\n\"\u0007"),
                // --set
                set("--set fractional", "deployment.tp", "deployment.tp=1.5"),
                set("unknown power model", "deployment.power_model", "deployment.power_model=mfu"),
                set("--set null", "deployment.tp", "deployment.tp=null"),
                set("--set into a value", "deployment.tp", "deployment.tp.x=2"),
                set("--set without =", "--set", "deployment.tp"),
                set("--set empty key part", "--set", "deployment..tp=2"),
                set("--set list index out of range", "workload.profiles[5]", "workload.profiles[5].rate_per_second=2"),
                set("--set list entry negative", "workload.profiles[0].rate_per_second", "workload.profiles[0].rate_per_second=-3"),
                set("--set index into a mapping", "deployment[0]", "deployment[0].tp=2"),
                set("--set batching inside continuous", "scheduler.batching", "scheduler.batching.type=continuous"),
                set("--set unknown key", "deployment.bogus", "deployment.bogus=1"),
                // flags
                flags("--seed text", "--seed", "run", "--config", "$C", "--seed", "abc", "--out", "$OUT"),
                flags("--requests zero", "--requests", "run", "--config", "$C", "--requests", "0", "--out", "$OUT"),
                flags("--requests fractional", "--requests", "run", "--config", "$C", "--requests", "1.5", "--out", "$OUT"),
                flags("--warmup-fraction too large", "warmup_fraction", "run", "--config", "$C", "--warmup-fraction", "0.9",
                        "--out", "$OUT"),
                flags("capacity --target above 1", "target", "capacity", "--config", "$C", "--target", "2", "--out", "$OUT"),
                flags("stress --threads 0", "--threads", "stress", "--threads", "0", "--out", "$OUT"),
                flags("stress --max-requests 0", "--max-requests", "stress", "--max-requests", "0", "--out", "$OUT"),
                flags("stress --capacity-target on a plan without capacity searches", "--capacity", "stress", "--plan",
                        "stress-legacy", "--capacity-target", "0.5", "--out", "$OUT"),
                flags("unknown study", "nosuch", "study", "nosuch", "--out", "$OUT"),
                new Case("plan file with an unknown analysis", "analysis[1]: unknown analysis 'figures'; analyses: findings,",
                        "base: {workload: stress}\nsteps: [{name: s}]\nanalysis: [outcomes, figures]\n", null, "plan", "run",
                        "$C", "--out", "$OUT"),
                new Case("plan file with an unknown figure", "analysis[0].figures: unknown figure 'pie'; figures:",
                        "base: {workload: stress}\nsteps: [{name: s}]\nanalysis: [{name: findings, figures: [pie]}]\n",
                        null, "plan", "run", "$C", "--out", "$OUT"),
                flags("study layout the scheduler cannot serve", "pp = 2", "study", "schedulers", "--set", "deployment.pp=2",
                        "--requests", "50", "--out", "$OUT", "--quiet", "--no-analysis"),
                flags("unknown command", "nosuch", "nosuch"),
                flags("unknown command with --help", "nosuch", "nosuch", "--help"),
                flags("unknown flag", "--bogus", "run", "--config", "$C", "--bogus"),
                flags("validate --physics-tolerance NaN", "--physics-tolerance", "validate", "--physics-tolerance", "NaN",
                        "--out", "$OUT"),
                flags("steptime unknown model", "Llama-9", "steptime", "--model", "Llama-9", "--gpu", "H100-SXM",
                        "--decode-batch", "1"),
                flags("steptime decode batch beyond an int", "--decode-batch", "steptime", "--model", "Llama-2-7B", "--gpu",
                        "H100-SXM", "--decode-batch", "99999999999"),
                flags("workload describe unknown", "nosuch", "workload", "describe", "nosuch"),
                flags("analyze a missing folder", "no/such/folder", "analyze", "$D/no/such/folder"),
                flags("catalog show unknown", "nosuch", "catalog", "show", "nosuch"),
                // profiles
                new Case("profile with an unknown model", "Falcon-40B", null, """
                        model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms
                        Falcon-40B,H100-SXM,1,128,0,0,10
                        """, "validate", "--profile", "$S", "--out", "$OUT"),
                new Case("profile with text for a time", "side.csv", null, """
                        model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms
                        Llama-2-7B,H100-SXM,1,128,0,0,fast
                        """, "validate", "--profile", "$S", "--out", "$OUT"),
                // output folders
                flags("run --out a file", "--out", "run", "--config", "$C", "--out", "$FILE"),
                flags("run --out under a file", "--out", "run", "--config", "$C", "--out", "$FILE/sub"),
                flags("run --out in /proc", "--out", "run", "--config", "$C", "--out", "/proc/servesim-out"),
                flags("run --out a non-empty folder", "--out", "run", "--config", "$C", "--out", "$D"),
                flags("capacity --out a file", "--out", "capacity", "--config", "$C", "--out", "$FILE"),
                flags("capacity --out under a file", "--out", "capacity", "--config", "$C", "--out", "$FILE/sub"),
                flags("validate --out a file", "--out", "validate", "--quick", "--out", "$FILE"),
                flags("validate --out under a file", "--out", "validate", "--quick", "--out", "$FILE/sub"),
                flags("stress --out a file", "--out", "stress", "--out", "$FILE"),
                flags("stress --out under a file", "--out", "stress", "--out", "$FILE/sub"),
                flags("stress --out in /proc", "--out", "stress", "--out", "/proc/servesim-out"),
                flags("stress --out a non-empty folder", "--out", "stress", "--max-requests", "50", "--out", "$D"),
                flags("study --out under a file", "--out", "study", "schedulers", "--out", "$FILE/sub"),
                flags("stress --resume a missing folder", "--resume", "stress", "--resume", "$D/none")));
        return cases.stream();
    }

    @Test
    void theTableHasAtLeastSixtyInputs() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedInputExitsTwoWithOneLineNamingTheFieldAndWritesNothing(Case c, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder\n");
        if (c.config() != null) {
            Files.writeString(dir.resolve("c.yaml"), c.config(), StandardCharsets.ISO_8859_1);
        }
        if (c.sideFile() != null) {
            Files.writeString(dir.resolve("side.csv"), c.sideFile(), StandardCharsets.ISO_8859_1);
        }
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>();
        for (String arg : c.args()) {
            args.add(arg.replace("$C", dir.resolve("c.yaml").toString()).replace("$S", dir.resolve("side.csv").toString())
                    .replace("$OUT", out.toString()).replace("$FILE", file.toString()).replace("$D", dir.toString()));
        }
        List<Path> before = listing(dir);

        CliTestSupport.Result result = CliTestSupport.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isEqualTo(2);
        assertThat(result.err()).startsWith("servesim: ");
        assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
        assertThat(result.err()).as("names the field").contains(c.field());
        for (String internal : List.of("Exception", "\tat ", "io.servesim", "java.", "CoercionConfig", "`")) {
            assertThat(result.err() + result.out()).as("no internals").doesNotContain(internal);
        }
        assertThat(result.err().chars().filter(ch -> ch < 0x20 && ch != '\n' || ch == 0xfffd || ch == 0xff || ch == 0xfe))
                .as("no raw bytes of the input").isEmpty();
        assertThat(listing(dir)).as("nothing written").isEqualTo(before);
        assertThat(Path.of("/proc/servesim-out")).doesNotExist();
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }
}
