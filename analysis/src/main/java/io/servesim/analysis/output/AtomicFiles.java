package io.servesim.analysis.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one writer of ServeSim's files: every result file (tables, records, markers, reports, figures, traces) is
 * written here, and no other main class writes a file ({@code ResultsWriterArchitectureTest} checks the bytecode of
 * every module).
 *
 * <p>A file's content goes to a hidden temporary file in the target's own folder ({@code .<name>.<random>.tmp}),
 * which is then renamed over the target in one step ({@link StandardCopyOption#ATOMIC_MOVE}; a rename within one
 * folder is atomic on every POSIX file system), so a reader, a resumed run or a crash never sees half a file. The
 * temporary file is created like any new file of the process, so the result has the permissions the umask gives
 * (0644 under 022): collaborators on a shared machine can read it.
 *
 * <p>A {@link Batch} writes several files that belong together (an analysis, a report with its figures): all
 * their temporary files are written first, and they are renamed into place only at {@link Batch#commit}; a batch
 * closed without a commit deletes its temporary files and the folders it created, leaving nothing behind.
 */
public final class AtomicFiles {
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-z]+\\.tmp");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically; throws {@link UncheckedIOException} naming it when it cannot. */
    public static void write(Path target, Content content) {
        try (Batch batch = batch()) {
            batch.write(target, content);
            batch.commit();
        }
    }

    public static void writeString(Path target, String text) {
        write(target, utf8(text));
    }

    /** A set of files that land together at {@link Batch#commit}. */
    public static Batch batch() {
        return new Batch();
    }

    /** Whether {@code file} is named as this writer names its temporary files. */
    public static boolean isTemporary(Path file) {
        return TEMPORARY.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Deletes the temporary files in {@code folder} (not in its subfolders): a writer killed between creating one
     * and renaming it into place leaves it behind. Call it only on a folder no other writer is writing into.
     */
    public static void removeTemporaryFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> isTemporary(f) && Files.isRegularFile(f)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + folder, e);
        }
    }

    /**
     * Checks that files can be created in {@code folder}, the way this writer creates them: creates the folder
     * (and its missing parents) and a temporary file in it, then removes everything it created.
     */
    public static void probe(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        List<Path> created = createFolders(absolute);
        try {
            Path tmp = temporaryFor(absolute.resolve("probe"));
            Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(tmp);
        } finally {
            deleteEmptyFolders(created);
        }
    }

    private static Content utf8(String text) {
        return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
    }

    /** Creates {@code folder} and its missing parents; returns those it created. */
    private static List<Path> createFolders(Path folder) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        Files.createDirectories(folder);
        return missing;
    }

    /** Deletes those of {@code folders} that are empty, deepest first (a folder another writer used stays). */
    private static void deleteEmptyFolders(List<Path> folders) {
        List<Path> deepestFirst = new ArrayList<>(folders);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : deepestFirst) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // not empty: another writer put something there, so it is not ours to remove
            }
        }
    }

    /**
     * Files written to temporary files now and renamed into place together at {@link #commit}. Use it in a
     * try-with-resources block: closing a batch that was not committed deletes its temporary files and the folders
     * it created.
     */
    public static final class Batch implements AutoCloseable {
        /** Target → its temporary file, in the order written. */
        private final Map<Path, Path> pending = new LinkedHashMap<>();
        private final Set<Path> replacedFolders = new LinkedHashSet<>();
        private final List<Path> createdFolders = new ArrayList<>();
        private boolean committed;

        private Batch() {
        }

        /** Writes {@code content} to a temporary file beside {@code target}; a second write of a target replaces the first. */
        public void write(Path target, Content content) {
            Path absolute = target.toAbsolutePath().normalize();
            Path tmp = null;
            try {
                createdFolders.addAll(createFolders(absolute.getParent()));
                tmp = temporaryFor(absolute);
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    content.writeTo(out);
                }
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new UncheckedIOException("cannot write " + target, e);
            } catch (RuntimeException e) {
                deleteQuietly(tmp);
                throw e;
            }
            deleteQuietly(pending.put(absolute, tmp));
        }

        public void writeString(Path target, String text) {
            write(target, utf8(text));
        }

        /**
         * At the commit, removes the files of {@code folder} that this batch did not write, so that the folder holds
         * this batch's files only (no figure of an earlier analysis stays beside the new ones).
         */
        public void replaceFolder(Path folder) {
            replacedFolders.add(folder.toAbsolutePath().normalize());
        }

        /** Renames every file written into place, in the order written, and returns the targets (absolute paths). */
        public List<Path> commit() {
            List<Path> written = new ArrayList<>();
            try {
                for (Map.Entry<Path, Path> file : pending.entrySet()) {
                    Files.move(file.getValue(), file.getKey(), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    written.add(file.getKey());
                }
                for (Path folder : replacedFolders) {
                    removeOthers(folder);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the files written into place (" + e.getMessage() + ")", e);
            }
            committed = true;
            pending.clear();
            return written;
        }

        private void removeOthers(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) {
                return;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> Files.isRegularFile(f) && !pending.containsKey(f)).toList()) {
                    Files.delete(file);
                }
            }
        }

        /** Without a commit: deletes the temporary files written and the folders created for them. */
        @Override
        public void close() {
            if (committed) {
                return;
            }
            pending.values().forEach(Batch::deleteQuietly);
            pending.clear();
            deleteEmptyFolders(createdFolders);
        }

        private static void deleteQuietly(Path file) {
            if (file == null) {
                return;
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover hidden temporary file is removed by the next run in the folder (removeTemporaryFiles)
            }
        }
    }
}
