package io.servesim.experiments.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Default output folders: {@code results/<experiment>-<yyyyMMdd-HHmmss>} under the working directory. */
final class ResultFolders {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ResultFolders() {
    }

    static Path timestamped(String experiment) {
        return Path.of("results", experiment + "-" + LocalDateTime.now().format(STAMP));
    }
}
