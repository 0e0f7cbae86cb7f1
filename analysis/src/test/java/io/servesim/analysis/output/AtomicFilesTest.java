package io.servesim.analysis.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer: whole files or none, in the umask's mode, batches that land together or not at all. */
class AtomicFilesTest {

    @Test
    void aWriteReplacesTheFileAndLeavesNothingElse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("summary.json");
        AtomicFiles.writeString(file, "first");
        AtomicFiles.writeString(file, "second");

        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(entries(dir)).containsExactly(file);
    }

    @Test
    void filesAndFoldersGetTheModeTheUmaskGivesAnyNewOne(@TempDir Path dir) throws IOException {
        // Under umask 022 a new file is rw-r--r-- and a new folder rwxr-xr-x: readable by the group. A temporary
        // file made by Files.createTempFile would be rw------- whatever the umask.
        Set<PosixFilePermission> plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Set<PosixFilePermission> plainFolder = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("d")));
        AtomicFiles.writeString(dir.resolve("one.csv"), "a\n");
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.writeString(dir.resolve("figures/fig.png"), "png");
            batch.writeString(dir.resolve("report.html"), "<p>");
            batch.commit();
        }

        for (String file : List.of("one.csv", "figures/fig.png", "report.html")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(file))).as(file).isEqualTo(plainFile);
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("figures"))).isEqualTo(plainFolder);
        assertThat(plainFile).as("this machine's umask lets the owner read and write")
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aFailedWriteKeepsTheOldFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results.csv");
        AtomicFiles.writeString(file, "a,b\n1,2\n");

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("a,b\n3".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write " + file);

        assertThat(Files.readString(file)).isEqualTo("a,b\n1,2\n");
        assertThat(entries(dir)).containsExactly(file);
    }

    @Test
    void aBatchLandsAtItsCommitInTheOrderWritten(@TempDir Path dir) throws IOException {
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.writeString(dir.resolve("b.json"), "{}");
            batch.writeString(dir.resolve("sub/a.md"), "# a");
            assertThat(dir.resolve("b.json")).doesNotExist();
            assertThat(entries(dir).stream().filter(Files::isRegularFile)).allMatch(AtomicFiles::isTemporary);

            assertThat(batch.commit()).containsExactly(dir.resolve("b.json"), dir.resolve("sub/a.md"));
        }
        assertThat(Files.readString(dir.resolve("sub/a.md"))).isEqualTo("# a");
        assertThat(entries(dir)).noneMatch(AtomicFiles::isTemporary);
    }

    @Test
    void aBatchClosedWithoutACommitLeavesNothingNotEvenItsFolders(@TempDir Path dir) throws IOException {
        Path existing = Files.createDirectory(dir.resolve("existing"));
        AtomicFiles.writeString(existing.resolve("old.md"), "old");
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.writeString(dir.resolve("new/figures/fig.svg"), "<svg/>");
            batch.writeString(existing.resolve("old.md"), "new");
            // an exception here, before the commit
        }

        assertThat(dir.resolve("new")).doesNotExist();
        assertThat(entries(dir)).containsExactly(existing, existing.resolve("old.md"));
        assertThat(Files.readString(existing.resolve("old.md"))).isEqualTo("old");
    }

    @Test
    void aReplacedFolderHoldsTheBatchsFilesOnly(@TempDir Path dir) throws IOException {
        Path figures = dir.resolve("figures");
        AtomicFiles.writeString(figures.resolve("stale.png"), "earlier analysis");
        AtomicFiles.writeString(dir.resolve("config.json"), "{}");
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.replaceFolder(figures);
            batch.writeString(figures.resolve("fresh.png"), "this analysis");
            batch.commit();
        }

        assertThat(entries(figures)).containsExactly(figures.resolve("fresh.png"));
        assertThat(dir.resolve("config.json")).as("outside the replaced folder").isRegularFile();
    }

    @Test
    void leftoverTemporaryFilesAreRecognisedAndRemoved(@TempDir Path dir) throws IOException {
        Path kept = Files.writeString(dir.resolve("cell.json"), "{}");
        Path hidden = Files.writeString(dir.resolve(".hidden"), "mine");
        Path leftover;
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.writeString(dir.resolve("other.json"), "{}");
            leftover = entries(dir).stream().filter(p -> p.getFileName().toString().startsWith(".other.json")).findFirst()
                    .orElseThrow();
            Files.copy(leftover, dir.resolve(".cell.json.k3x9.tmp")); // as a killed writer would leave it
        }

        assertThat(AtomicFiles.isTemporary(leftover)).isTrue();
        assertThat(AtomicFiles.isTemporary(kept)).isFalse();
        assertThat(AtomicFiles.isTemporary(hidden)).isFalse();
        AtomicFiles.removeTemporaryFiles(dir);
        assertThat(entries(dir)).containsExactlyInAnyOrder(kept, hidden);
    }

    @Test
    void theProbeLeavesNothingAndFailsUnderAFile(@TempDir Path dir) throws IOException {
        AtomicFiles.probe(dir.resolve("a/b"));
        assertThat(entries(dir)).isEmpty();

        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicFiles.probe(file.resolve("sub"))).isInstanceOf(IOException.class);
        assertThat(entries(dir)).containsExactly(file);
    }

    /** Every file and folder under {@code dir}, sorted. */
    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }
}
