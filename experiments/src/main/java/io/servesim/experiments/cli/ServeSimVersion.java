package io.servesim.experiments.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Which ServeSim this is: the release (the Maven project version, filtered into
 * {@code servesim-version.properties} at build time) and the git commit of the sources, with {@code -dirty}
 * when tracked files had uncommitted changes. The commit is the system property {@value #COMMIT_PROPERTY} when
 * set (a packaged distribution sets it), otherwise asked of git in the work tree the classes or the jar were
 * loaded from, otherwise {@value #UNKNOWN}. Computed once per JVM.
 *
 * @param release the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  abbreviated commit id, e.g. {@code c919528a1b2c} or {@code c919528a1b2c-dirty}, or {@value #UNKNOWN}
 */
public record ServeSimVersion(String release, String commit) {
    public static final String COMMIT_PROPERTY = "servesim.commit";
    public static final String UNKNOWN = "unknown";
    private static final String RESOURCE = "servesim-version.properties";

    private static final class Holder {
        static final ServeSimVersion CURRENT = new ServeSimVersion(readRelease(), findCommit());
    }

    /** The version of the running code. */
    public static ServeSimVersion current() {
        return Holder.CURRENT;
    }

    /** "0.1.0-SNAPSHOT (commit c919528a1b2c)". */
    public String text() {
        return release + " (commit " + commit + ")";
    }

    /**
     * The version as config.json and shard manifests record it, with the Java feature release the code runs on:
     * the same seed gives the same bytes on one feature release, but the JDK's normal draws
     * ({@code SplittableRandom.nextGaussian}, behind lognormal and normal lengths) changed in their far tail with
     * JDK 19, so a run on Java 17 and one on Java 25 may differ in a rare request (docs/performance.md).
     */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("release", release);
        map.put("commit", commit);
        map.put("java", Integer.toString(Runtime.version().feature()));
        return map;
    }

    private static String readRelease() {
        try (InputStream in = ServeSimVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String release = properties.getProperty("release", UNKNOWN);
            return release.startsWith("${") ? UNKNOWN : release;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    private static String findCommit() {
        String given = System.getProperty(COMMIT_PROPERTY);
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        Path root = workTree();
        if (root == null) {
            return UNKNOWN;
        }
        String head = git(root, "rev-parse", "--short=12", "HEAD");
        if (head == null || head.isEmpty()) {
            return UNKNOWN;
        }
        String changes = git(root, "status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + "-dirty";
    }

    /** The git work tree the code was loaded from (target/classes or the jar), or null. */
    private static Path workTree() {
        try {
            Path location = Path.of(ServeSimVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = location.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.exists(dir.resolve(".git"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The trimmed output of a git command in {@code root}, or null when git is missing, fails or hangs. */
    private static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
