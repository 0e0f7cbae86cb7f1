package io.servesim.experiments.output;

import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.workload.ProfileInfo;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one CSV row per request (what arrived, what happened, its latencies), plain or gzipped by
 * the file name. Latencies are empty for requests that did not complete.
 */
public final class RequestRecordsWriter {
    public static final String[] HEADER = {"request_id", "profile", "arrival_s", "prompt_tokens", "output_tokens",
        "outcome", "ttft_s", "e2e_s", "tpot_s", "queue_delay_s", "replica", "preemptions", "session_id", "turn"};

    private RequestRecordsWriter() {
    }

    public static void write(Path file, RequestTable t, List<ProfileInfo> profiles) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, raw -> {
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator("\n").get())) {
                for (int r = 0; r < t.size(); r++) {
                    writeRow(csv, t, profiles, r);
                }
            }
        });
    }

    private static void writeRow(CSVPrinter csv, RequestTable t, List<ProfileInfo> profiles, int r) throws IOException {
        Outcome outcome = t.outcome(r);
        boolean done = outcome == Outcome.COMPLETED;
        double arrival = t.arrivalTime(r);
        int out = t.outputTokens(r);
        csv.printRecord(r, profiles.get(t.profile(r)).name(), arrival, t.promptTokens(r), out, outcome.name(),
                done ? t.firstTokenTime(r) - arrival : "",
                done ? t.finishTime(r) - arrival : "",
                done && out > 1 ? (t.finishTime(r) - t.firstTokenTime(r)) / (out - 1) : "",
                Double.isNaN(t.firstScheduledTime(r)) ? "" : t.firstScheduledTime(r) - arrival,
                t.replica(r), t.preemptions(r), t.sessionId(r), t.turn(r));
    }
}
