package io.servesim.experiments.output;

import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.observe.TimeSeriesRecorder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a run's time series ({@code timeseries.csv}): one row per engine and grid point, engine by engine in time
 * order, with the columns of {@link TimeSeriesRecorder#COLUMNS} (docs/results-schema.md). {@code tokens_per_iteration}
 * is empty in a cell where no iteration ended.
 */
public final class TimeSeriesCsv {
    public static final String FILE = "timeseries.csv";

    private TimeSeriesCsv() {
    }

    public static void write(Path file, TimeSeriesRecorder recorder) {
        AtomicFiles.write(file, out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setHeader(TimeSeriesRecorder.COLUMNS.toArray(String[]::new)).setRecordSeparator("\n").get();
            try (CSVPrinter csv = new CSVPrinter(writer, format)) {
                for (int e = 0; e < recorder.engineCount(); e++) {
                    TimeSeriesRecorder.EngineSeries s = recorder.engine(e);
                    for (int i = 0; i < s.size(); i++) {
                        long iterations = s.iterations(i);
                        csv.printRecord(e, s.timeSeconds(i), s.queueLength(i), s.running(i), s.kvBlocksUsed(i),
                                s.kvBlocksTotal(), iterations, s.tokens(i),
                                iterations == 0 ? "" : (double) s.tokens(i) / iterations, s.busyFraction(i));
                    }
                }
            }
        });
    }
}
