package io.servesim.experiments.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every example scenario in docs/examples runs as its header says (at a small size). */
class ExampleScenariosTest {
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    @TempDir
    Path out;

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.getFileName().toString().startsWith("scenario")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void runs(Path scenario) {
        CliTestSupport.Result result = CliTestSupport.run("run", "--config", scenario.toString(), "--requests", "400",
                "--no-requests-csv", "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("arrived 400");
        assertThat(out.resolve("summary.json")).isRegularFile();
    }
}
