package io.servesim.experiments.output;

import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The checks of a results folder that every command makes before it simulates anything, so that a folder that
 * cannot take the results fails at once, with one line naming the flag, and not after the run:
 * <ul>
 *   <li>{@link #requireWritable}: the folder, or the folder that would hold it, is a folder (not a file, nor under
 *       one) in which files can be created — tried for real, then undone, so nothing is left behind;</li>
 *   <li>{@link #requireNew}: the same, and the folder is empty or absent unless the user forces writing into it,
 *       so finished results are not overwritten by accident.</li>
 * </ul>
 */
public final class OutputFolder {
    private OutputFolder() {
    }

    /**
     * Checks that {@code dir} can hold results: creates it (and any missing parent) and a file in it as
     * {@link AtomicFiles} would, then removes what it created ({@link AtomicFiles#probe}). Throws
     * {@link ConfigException} naming {@code flag} otherwise.
     */
    public static void requireWritable(String flag, Path dir) {
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new ConfigException(flag + " " + dir + ": " + (existing.equals(dir.toAbsolutePath().normalize())
                    ? "is a file, not a folder" : existing + " is a file, so no folder can be made under it"));
        }
        try {
            AtomicFiles.probe(dir);
        } catch (IOException e) {
            throw new ConfigException(flag + " " + dir + ": cannot write there (" + reason(e) + ")", e);
        }
    }

    /**
     * Checks {@link #requireWritable} and that {@code dir} is absent or empty, unless {@code force}: writing into a
     * folder of other results would mix them. {@code alternatives} says what else the user can do (e.g. "--resume").
     */
    public static void requireNew(String flag, Path dir, boolean force, String alternatives) {
        requireWritable(flag, dir);
        if (!force && Files.isDirectory(dir) && !isEmpty(dir)) {
            throw new ConfigException(flag + " " + dir + ": the folder is not empty; give a new folder, " + alternatives
                    + "--force to write into it anyway (files of the same name are replaced)");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new ConfigException("cannot list " + dir + " (" + reason(e) + ")", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return "the file system refused";
    }
}
