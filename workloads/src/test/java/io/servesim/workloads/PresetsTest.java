package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.profile.ClientProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class PresetsTest {

    static List<String> presets() {
        return Presets.NAMES;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetLoadsAndCompiles(String name) {
        WorkloadSpec spec = Presets.load(name);
        assertThat(spec.name()).isEqualTo(name);
        assertThat(Workload.compile(spec).requestRatePerSecond()).isPositive();
    }

    @Test
    void unknownPresetListsTheValidNames() {
        assertThatThrownBy(() -> Presets.load("heavvy"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown workload preset 'heavvy'; presets: "
                        + "compute_bound, heavy, high_throughput, memory_bound, mixed, shared_prefix, shared_prefix_chat, stress");
    }

    @Test
    void heavyHasSixProfilesAtSixtyRequestsPerSecond() {
        // 8 + 15 + 10 + 20 + 1 + (25·10 + 1.25·40)/50 = 54 + 6 = 60 req/s
        Workload heavy = Workload.compile(Presets.load("heavy"));
        assertThat(heavy.profiles()).extracting(p -> p.info().name()).containsExactly(
                "doc_processor", "conversational_ai", "code_gen", "batch_inference", "extreme_context", "burst_traffic");
        assertThat(heavy.requestRatePerSecond()).isCloseTo(60.0, offset(1e-9));
        // extreme_context: exp(8.7 + 0.17²/2) = 6,090 tokens, not a few tokens
        ClientProfile extreme = heavy.profiles().get(4);
        assertThat(extreme.prompt().mean()).isCloseTo(6090.3, offset(0.1));
        assertThat(heavy.profiles().get(1).multiTurn()).isTrue();
    }

    @Test
    void stressIsOneRequestPerSecondWithWideOutputs() {
        // prompts exp(6.0 + 0.5²/2) = 457 tokens (clamping to [16, 4096] changes < 0.1), outputs exp(5.0 + 0.8²/2) = 204.4
        // less the clamp at 2048 → 204.1; 200 req/s after the plan's rps_scale 200
        WorkloadSpec stress = Presets.load("stress");
        assertThat(stress.requests()).isEqualTo(1000L);
        Workload workload = Workload.compile(stress.withRpsScale(200));
        assertThat(workload.requestRatePerSecond()).isCloseTo(200.0, offset(1e-9));
        assertThat(workload.promptMixture().mean()).isCloseTo(457.1, offset(0.5));
        assertThat(workload.outputMixture().mean()).isCloseTo(204.1, offset(0.5));
    }

    @Test
    void fixedPresetsHaveTheirStatedNumbers() {
        assertThat(Workload.compile(Presets.load("compute_bound")).requestRatePerSecond()).isEqualTo(3.0);
        assertThat(Workload.compile(Presets.load("memory_bound")).outputMixture().mean()).isEqualTo(1500.0);
        assertThat(Workload.compile(Presets.load("high_throughput")).requestRatePerSecond()).isEqualTo(50.0);
    }

    static Stream<Path> exampleFiles() throws IOException {
        Path folder = Path.of("../docs/examples");
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        // scenario*.yaml files are whole scenarios (servesim run), not workloads.
        return Files.list(folder).filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !p.getFileName().toString().startsWith("scenario")).sorted().toList().stream();
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void documentedExamplesLoadAndRun(Path file) {
        // Every example runs in every build: the traces it names ship with ServeSim or sit next to it.
        WorkloadSpec spec = WorkloadSpecs.resolve(file.toString());
        assertThat(Workload.compile(spec).newSource(1).next()).isNotNull();
    }

    @Test
    void tracePathsInAWorkloadFileAreRelativeToItsFolder(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("configs"));
        Files.writeString(sub.resolve("t.csv"), "arrival_s,prompt_tokens,output_tokens\n0.5,10,20\n1.0,30,40\n");
        Path file = Files.writeString(sub.resolve("w.yaml"), """
                profiles:
                  - name: replay
                    arrival: {type: trace, path: t.csv}
                """);
        WorkloadSpec spec = WorkloadSpecs.resolve(file.toString());
        assertThat(((ArrivalSpec.Trace) spec.profiles().get(0).arrival()).path()).isEqualTo(sub.resolve("t.csv").toString());
        assertThat(Workload.compile(spec).newSource(1).next().promptTokens()).isEqualTo(10);
    }

    @Test
    void resolveReadsAFileOrAPresetAndOtherwiseListsPresets() {
        assertThat(WorkloadSpecs.resolve("stress").name()).isEqualTo("stress");
        assertThatThrownBy(() -> WorkloadSpecs.resolve("no/such/file.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("workload 'no/such/file.yaml' is neither an existing file nor a preset; presets: "
                        + "compute_bound, heavy, high_throughput, memory_bound, mixed, shared_prefix, shared_prefix_chat, stress");
    }
}
