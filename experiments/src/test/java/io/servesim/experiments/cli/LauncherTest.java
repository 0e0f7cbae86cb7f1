package io.servesim.experiments.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher {@code ./servesim}: which JVM it picks, the start-up cache it builds for that JVM once per jar, and
 * its fallback when no cache can be built. It runs on a copy of the script in a folder whose jar is a stand-in that
 * prints how it was started ({@link LauncherProbe}), so nothing is built and the real jar is not touched. No test
 * needs JDK 25: the JVM that runs the tests (17 on CI) is the one picked, or a stand-in JDK 25 that wraps it.
 */
class LauncherTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final int AOT_RELEASE = 25;

    @TempDir
    Path root;

    record Launch(int status, List<String> out, String err) {
        String line(String prefix) {
            return out.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " in " + out));
        }
    }

    @BeforeEach
    void standInProject() throws IOException {
        Files.copy(Path.of("..", "servesim"), root.resolve("servesim"));
        Path jar = Files.createDirectories(root.resolve("experiments/target")).resolve("servesim.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream probe = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            probe.transferTo(out);
        }
    }

    private Launch launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(concat("bash", root.resolve("servesim").toString(), args));
        builder.environment().remove("SERVESIM_JAVA");
        builder.environment().remove("SERVESIM_JAVA_OPTS");
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(env);
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Launch(status, Files.readAllLines(out), Files.readString(err));
    }

    private static String[] concat(String a, String b, String... rest) {
        String[] all = new String[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    @Test
    void runsTheJvmItIsGivenWithTheCacheItBuiltForItOnceAndKeepsStdoutForTheCommand() throws Exception {
        Launch first = launch(Map.of("SERVESIM_JAVA", JAVA.toString()), "run", "--config", "s.yaml");
        assertThat(first.status()).isZero();
        assertThat(first.out()).hasSize(3);
        assertThat(first.line("args ")).isEqualTo("args run --config s.yaml");
        assertThat(Path.of(first.line("java.home ").substring("java.home ".length())))
                .isEqualTo(Path.of(System.getProperty("java.home")));
        String cacheFlag = Runtime.version().feature() >= AOT_RELEASE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        assertThat(first.line("jvm ")).contains(cacheFlag, "-XX:TieredStopAtLevel=1");
        assertThat(first.err()).contains("servesim: building").doesNotContain("could not build");

        Launch second = launch(Map.of("SERVESIM_JAVA", JAVA.toString()), "sweep");
        assertThat(second.err()).isEmpty();   // the cache is built once per jar and JDK
        assertThat(second.line("jvm ")).contains(cacheFlag).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void validateAgainstRunsOnC1AndPlainValidateKeepsC2() throws Exception {
        // validate --against runs thousands of simulations of milliseconds, for which C2 compiles for longer than it
        // saves; plain validate's simulations are long enough for C2 to pay (docs/validation.md, "Timing")
        Map<String, String> env = Map.of("SERVESIM_JAVA", JAVA.toString());
        assertThat(launch(env, "validate", "--against", "rows.csv").line("jvm ")).contains("-XX:TieredStopAtLevel=1");
        assertThat(launch(env, "validate", "--out", "d", "--against=rows.csv").line("jvm "))
                .contains("-XX:TieredStopAtLevel=1");
        assertThat(launch(env, "validate", "--out", "d").line("jvm ")).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(launch(env, "plan", "--against").line("jvm ")).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void prefersJavaHomeFromJdk25AndRunsWithoutACacheWhenItCannotBuildOne() throws Exception {
        // A stand-in JDK 25: its release file says 25, its java adds a marker property and runs the tests' JVM, but
        // refuses to record an ahead-of-time cache (and drops the JDK 24 option the tests' JVM may not know).
        Path jdk = Files.createDirectories(root.resolve("jdk-25/bin"));
        Files.writeString(jdk.getParent().resolve("release"), "IMPLEMENTOR=\"stand-in\"\nJAVA_VERSION=\"25.0.1\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, """
                #!/usr/bin/env bash
                args=()
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*) exit 1 ;;
                    --sun-misc-unsafe-memory-access=*) ;;
                    *) args+=("$a") ;;
                  esac
                done
                exec "%s" -Dstand.in=jdk25 "${args[@]}"
                """.formatted(JAVA), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Launch launch = launch(Map.of("JAVA_HOME", jdk.getParent().toString()), "compare");
        assertThat(launch.status()).isZero();
        assertThat(launch.err()).contains("building the ahead-of-time caches (JDK 25)")
                .contains("could not build a start-up cache");
        assertThat(launch.line("jvm ")).contains("-Dstand.in=jdk25")
                .doesNotContain("-XX:AOTCache").doesNotContain("-XX:SharedArchiveFile");
        assertThat(launch.line("args ")).isEqualTo("args compare");

        // A JDK that cannot build a cache does not try again before the next jar.
        assertThat(launch(Map.of("JAVA_HOME", jdk.getParent().toString()), "compare").err()).isEmpty();
    }
}
