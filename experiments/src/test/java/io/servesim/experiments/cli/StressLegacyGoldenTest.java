package io.servesim.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled plan {@code stress-legacy} (the seed plan's literal settings) reproduces, byte for byte, the result files that
 * {@code servesim stress} wrote before the plan became a data file (captured from the former stress command at commit f3665cb, whose engine and columns this branch shares, with the flags
 * below, in {@code src/test/resources/stress-legacy/}; the {@code mfu} and {@code mbu} columns added since; the numbers
 * captured again, with the same flags, whenever the bundled H100-SXM coefficients were refitted — last when the
 * element-wise kernels were split into norms and rotary, the MLP activation and the serving engine's fusion): same
 * seed, same cells, same ids, same numbers.
 */
class StressLegacyGoldenTest {
    private static final List<String> FILES = List.of("comprehensive_stress_results_step1_request_scaling.csv",
            "comprehensive_stress_results_step2_gpu_scaling.csv", "comprehensive_stress_results_step3_kbins_sensitivity.csv",
            "comprehensive_stress_results_all_results.csv");

    @TempDir
    Path dir;

    @Test
    void smallPlanReproducesTheCapturedFilesByteForByte() throws IOException {
        // captured with: servesim stress --max-requests 2000 --max-gpus 4 --no-analysis --quiet
        assertReproduces("small", "--max-requests", "2000", "--max-gpus", "4");
    }

    @Test
    void replicatedPlanWithCapacityReproducesTheCapturedFilesByteForByte() throws IOException {
        // captured with: servesim stress --max-requests 500 --max-gpus 2 --replications 2 --capacity
        //   --capacity-requests 300 --capacity-max-probes 4 --seed 7 --no-analysis --quiet
        assertReproduces("capacity", "--max-requests", "500", "--max-gpus", "2", "--replications", "2", "--capacity",
                "--capacity-requests", "300", "--capacity-max-probes", "4", "--seed", "7");
    }

    private void assertReproduces(String fixture, String... flags) throws IOException {
        Path out = dir.resolve(fixture);
        String[] args = new String[flags.length + 7];
        args[0] = "stress";
        args[1] = "--plan";
        args[2] = "stress-legacy";
        System.arraycopy(flags, 0, args, 3, flags.length);
        args[flags.length + 3] = "--no-analysis";
        args[flags.length + 4] = "--quiet";
        args[flags.length + 5] = "--out";
        args[flags.length + 6] = out.toString();
        CliTestSupport.Result result = CliTestSupport.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String file : FILES) {
            try (InputStream expected = getClass().getResourceAsStream("/stress-legacy/" + fixture + "/" + file)) {
                assertThat(expected).as(file).isNotNull();
                assertThat(Files.readString(out.resolve(file))).as(file)
                        .isEqualTo(new String(expected.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
