package io.servesim.experiments.planfile;

import io.servesim.core.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The plan files shipped with ServeSim ({@code io/servesim/experiments/plans/<name>.yaml}, listed in its
 * {@code index}): the stress plans and the studies. {@code servesim plan show NAME} prints one for copying.
 */
public final class BundledPlans {
    private static final String FOLDER = "io/servesim/experiments/plans/";

    private BundledPlans() {
    }

    /** The names of the bundled plans, in the order of the index. */
    public static List<String> names() {
        return text("index").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The YAML text of a bundled plan; an unknown name fails with the list of names. */
    public static String text(String name) {
        if (!name.equals("index") && !names().contains(name)) {
            throw new ConfigException("no bundled plan '" + name + "'; bundled plans: " + String.join(", ", names())
                    + " (or give the path of a plan file)");
        }
        String resource = FOLDER + (name.equals("index") ? name : name + ".yaml");
        try (InputStream in = BundledPlans.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled plan resource " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The bundled plan {@code name}. */
    public static PlanFile load(String name) {
        return PlanFileReader.read(text(name), name, null);
    }

    /** A plan file's path, or else a bundled plan's name. */
    public static PlanFile resolve(String fileOrName) {
        Path file = Path.of(fileOrName);
        if (Files.isRegularFile(file)) {
            return PlanFileReader.read(file);
        }
        if (fileOrName.endsWith(".yaml") || fileOrName.endsWith(".yml") || fileOrName.contains("/")) {
            throw new ConfigException("plan file " + fileOrName + " does not exist; bundled plans: "
                    + String.join(", ", names()));
        }
        return load(fileOrName);
    }

    /** The one-line description of each bundled plan. */
    public static String description(String name) {
        return load(name).description();
    }
}
