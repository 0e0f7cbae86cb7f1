package io.servesim.experiments.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The columns of a results row as docs/results-schema.md declares them, in its order: the oracle the writers are
 * tested against, independent of the code that writes them. A row of a table in "Columns (in this order)" names one
 * or more columns in backticks; a latency prefix stands for its five statistics.
 */
public final class ResultsSchemaDoc {
    public static final Path DOC = Path.of("..", "docs", "results-schema.md");
    private static final List<String> LATENCY_SUFFIXES = List.of("_mean_s", "_p50_s", "_p90_s", "_p95_s", "_p99_s");
    private static final Pattern NAME = Pattern.compile("`([a-z0-9_]+)`");

    private ResultsSchemaDoc() {
    }

    /** The columns of a row, with or without the capacity columns of {@code --capacity}. */
    public static List<String> columns(boolean withCapacity) {
        String doc;
        try {
            doc = Files.readString(DOC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = doc.indexOf("## Columns (in this order)");
        int end = doc.indexOf("\n## ", start + 1);
        List<String> columns = new ArrayList<>();
        boolean latency = false;
        boolean capacity = false;
        for (String line : doc.substring(start, end).split("\n")) {
            if (line.startsWith("### ")) {
                latency = line.startsWith("### Latency");
                capacity = line.startsWith("### Capacity");
                continue;
            }
            if (!line.startsWith("| `") || capacity && !withCapacity) {
                continue;
            }
            String firstCell = line.substring(1, line.indexOf('|', 1));
            for (Matcher m = NAME.matcher(firstCell); m.find(); ) {
                if (latency) {
                    LATENCY_SUFFIXES.forEach(suffix -> columns.add(m.group(1) + suffix));
                } else {
                    columns.add(m.group(1));
                }
            }
        }
        return columns;
    }
}
