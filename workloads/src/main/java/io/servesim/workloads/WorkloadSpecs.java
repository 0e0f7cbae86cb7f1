package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Reading workload specs from files and resolving "preset or file" arguments. */
public final class WorkloadSpecs {
    private WorkloadSpecs() {
    }

    /** Reads a YAML (or {@code .json}) workload file. */
    public static WorkloadSpec read(Path file) {
        return ConfigMapper.read(file, WorkloadSpec.class);
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
