package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.workloads.trace.TraceTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Reading workload specs from files and resolving "preset or file" arguments. */
public final class WorkloadSpecs {
    private WorkloadSpecs() {
    }

    /** Reads a YAML (or {@code .json}) workload file; the files it names are relative to its folder. */
    public static WorkloadSpec read(Path file) {
        JsonNode tree = ConfigMapper.read(file, JsonNode.class);
        resolvePaths(tree, folderOf(file));
        return ConfigMapper.convert(tree, WorkloadSpec.class, "", file.getFileName().toString());
    }

    /** The folder relative paths in {@code file} are read against. */
    public static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }

    /**
     * Makes the relative trace paths of a workload tree ({@code profiles[i].arrival.path} of a {@code trace} arrival)
     * relative to {@code folder} — the folder of the file the workload was written in — rather than to the working
     * directory, so a configuration runs from wherever it is started. Absolute paths and bundled traces
     * ({@code bundled:NAME}) stay as they are.
     */
    public static void resolvePaths(JsonNode workload, Path folder) {
        if (workload == null || !workload.path("profiles").isArray()) {
            return;
        }
        for (JsonNode profile : workload.get("profiles")) {
            JsonNode arrival = profile.path("arrival");
            if (arrival instanceof ObjectNode trace && "trace".equals(trace.path("type").asText())) {
                resolvePath(trace, "path", folder);
            }
        }
    }

    /** Makes {@code node.key}, if it is a relative file path, relative to {@code folder}. */
    public static void resolvePath(ObjectNode node, String key, Path folder) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()
                || value.asText().startsWith(TraceTable.BUNDLED_PREFIX)) {
            return;
        }
        try {
            Path path = Path.of(value.asText());
            if (!path.isAbsolute()) {
                node.put(key, folder.resolve(path).normalize().toString());
            }
        } catch (InvalidPathException e) {
            // not a path at all: the field's own check names it
        }
    }

    /**
     * An existing file named {@code presetOrPath} is read; otherwise it must be a preset name. Anything else fails
     * with the list of presets.
     */
    public static WorkloadSpec resolve(String presetOrPath) {
        if (isFile(presetOrPath)) {
            return read(Path.of(presetOrPath));
        }
        if (Presets.NAMES.contains(presetOrPath)) {
            return Presets.load(presetOrPath);
        }
        throw new ConfigException("workload '" + presetOrPath + "' is neither an existing file nor a preset; presets: "
                + String.join(", ", Presets.NAMES));
    }

    private static boolean isFile(String text) {
        try {
            return Files.isRegularFile(Path.of(text));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
