package io.servesim.experiments.output;

import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.workload.ProfileInfo;
import org.apache.commons.csv.CSVFormat;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one CSV row per request (what arrived, what happened, its latencies), plain or gzipped by
 * the file name. Latencies are empty for requests that did not complete.
 *
 * <p>The only text fields that can need quoting are the profile names: Commons CSV formats each once. The other
 * fields are numbers and outcome names, which never do, and go straight into one reused row buffer as
 * {@code Double.toString} and {@code Integer.toString} print them — the bytes {@code CSVPrinter.printRecord} writes
 * for the same values, without its per-value stream and quoting scan, which cost a small {@code run} about a
 * tenth of a second before the JIT compiles them.
 */
public final class RequestRecordsWriter {
    public static final String[] HEADER = {"request_id", "profile", "arrival_s", "prompt_tokens", "output_tokens",
        "outcome", "ttft_s", "e2e_s", "tpot_s", "queue_delay_s", "replica", "preemptions", "session_id", "turn"};

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private RequestRecordsWriter() {
    }

    public static void write(Path file, RequestTable t, List<ProfileInfo> profiles) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, raw -> {
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
                writer.write(FORMAT.format((Object[]) HEADER));
                writer.write(FORMAT.getRecordSeparator());
                String[] names = new String[profiles.size()];
                for (int p = 0; p < names.length; p++) {
                    names[p] = FORMAT.format(profiles.get(p).name());
                }
                StringBuilder row = new StringBuilder(256);
                for (int r = 0; r < t.size(); r++) {
                    row.setLength(0);
                    appendRow(row, t, names, r);
                    writer.append(row);
                }
            }
        });
    }

    private static void appendRow(StringBuilder row, RequestTable t, String[] names, int r) {
        Outcome outcome = t.outcome(r);
        boolean done = outcome == Outcome.COMPLETED;
        double arrival = t.arrivalTime(r);
        int out = t.outputTokens(r);
        row.append(r).append(',').append(names[t.profile(r)]).append(',').append(arrival)
                .append(',').append(t.promptTokens(r)).append(',').append(out).append(',').append(outcome.name())
                .append(',');
        if (done) {
            row.append(t.firstTokenTime(r) - arrival);
        }
        row.append(',');
        if (done) {
            row.append(t.finishTime(r) - arrival);
        }
        row.append(',');
        if (done && out > 1) {
            row.append((t.finishTime(r) - t.firstTokenTime(r)) / (out - 1));
        }
        row.append(',');
        if (!Double.isNaN(t.firstScheduledTime(r))) {
            row.append(t.firstScheduledTime(r) - arrival);
        }
        row.append(',').append(t.replica(r)).append(',').append(t.preemptions(r)).append(',').append(t.sessionId(r))
                .append(',').append(t.turn(r)).append(FORMAT.getRecordSeparator());
    }
}
