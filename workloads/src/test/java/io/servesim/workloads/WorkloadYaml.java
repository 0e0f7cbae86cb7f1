package io.servesim.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads workload YAML text the way users' files are read: from a file named {@code workload.yaml}. */
public final class WorkloadYaml {
    private WorkloadYaml() {
    }

    public static WorkloadSpec parse(String yaml) {
        try {
            Path folder = Files.createTempDirectory("workload-yaml");
            Path file = folder.resolve("workload.yaml");
            Files.writeString(file, yaml);
            try {
                return WorkloadSpecs.read(file);
            } finally {
                Files.delete(file);
                Files.delete(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
