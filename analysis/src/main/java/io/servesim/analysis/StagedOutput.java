package io.servesim.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes outputs into a hidden staging folder inside the results folder, then moves them into
 * place only when everything was written ({@link #commit}); {@link #discard} removes the staging
 * folder, so a failed analysis leaves nothing half-written. Files are moved atomically where the
 * file system allows; the {@code figures/} folder is replaced as a whole, so no stale figure of
 * an earlier analysis remains next to the new ones.
 */
final class StagedOutput {

    private final Path target;
    private final Path staging;

    private StagedOutput(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    static StagedOutput in(Path target) throws IOException {
        return new StagedOutput(target, Files.createTempDirectory(target, ".analysis-staging-"));
    }

    /** Where a file or folder is written before the commit. */
    Path staged(String relative) {
        return staging.resolve(relative);
    }

    void writeString(String relative, String content) throws IOException {
        Files.writeString(staged(relative), content, StandardCharsets.UTF_8);
    }

    /** Moves every staged top-level entry into the results folder and returns the files now in place. */
    List<Path> commit() throws IOException {
        List<Path> entries;
        try (Stream<Path> listing = Files.list(staging)) {
            entries = listing.sorted().toList();
        }
        List<Path> written = new ArrayList<>();
        for (Path entry : entries) {
            Path destination = target.resolve(entry.getFileName().toString());
            if (Files.isDirectory(entry)) {
                Path previous = staging.resolve(".previous-" + entry.getFileName());
                if (Files.exists(destination)) {
                    move(destination, previous);
                }
                move(entry, destination);
                try (Stream<Path> files = Files.walk(destination)) {
                    files.filter(Files::isRegularFile).sorted().forEach(written::add);
                }
            } else {
                move(entry, destination);
                written.add(destination);
            }
        }
        discard();
        return written;
    }

    /** Deletes the staging folder and everything in it. */
    void discard() throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        Files.walkFileTree(staging, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
