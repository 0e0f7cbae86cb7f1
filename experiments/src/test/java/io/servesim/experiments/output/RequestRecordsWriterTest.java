package io.servesim.experiments.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.experiments.scenario.ScenarioRunner.ScenarioRun;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code requests.csv}: one row per request, the bytes Commons CSV's printer gives for the same values. */
class RequestRecordsWriterTest {

    /**
     * Requests that complete (some with one output token, whose TPOT is empty) and requests longer than Llama-2-7B's
     * 4,096-token context, which fail at arrival: no latencies, no queue delay.
     */
    private static ScenarioRun run() throws IOException {
        ObjectNode tree = (ObjectNode) ConfigMapper.yaml().readTree("""
                seed: 7
                deployment: {model: Llama-2-7B, gpu: H100-SXM}
                workload:
                  requests: 300
                  profiles:
                    - name: chat
                      rate_per_second: 20
                      prompt: {type: uniform, min: 100, max: 300}
                      output: {type: uniform, min: 1, max: 3}
                    - name: too_long.v2
                      rate_per_second: 2
                      prompt: {type: fixed, value: 5000}
                      output: {type: fixed, value: 10}
                """);
        return ScenarioRunner.run(Scenario.fromTree(tree));
    }

    /** The rows as {@code CSVPrinter.printRecord} prints them, one boxed value after another. */
    private static String printedByCommonsCsv(RequestTable t, List<ProfileInfo> profiles) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder()
                .setHeader(RequestRecordsWriter.HEADER).setRecordSeparator("\n").get())) {
            for (int r = 0; r < t.size(); r++) {
                boolean done = t.outcome(r) == Outcome.COMPLETED;
                double arrival = t.arrivalTime(r);
                int out = t.outputTokens(r);
                csv.printRecord(r, profiles.get(t.profile(r)).name(), arrival, t.promptTokens(r), out,
                        t.outcome(r).name(),
                        done ? t.firstTokenTime(r) - arrival : "",
                        done ? t.finishTime(r) - arrival : "",
                        done && out > 1 ? (t.finishTime(r) - t.firstTokenTime(r)) / (out - 1) : "",
                        Double.isNaN(t.firstScheduledTime(r)) ? "" : t.firstScheduledTime(r) - arrival,
                        t.replica(r), t.preemptions(r), t.sessionId(r), t.turn(r));
            }
        }
        return text.toString();
    }

    @Test
    void writesTheBytesOfCommonsCsvForCompletedFailedAndOneTokenRequests(@TempDir Path dir) throws IOException {
        ScenarioRun run = run();
        RequestTable t = run.result().requests();
        List<ProfileInfo> profiles = run.result().profiles();
        RequestRecordsWriter.write(dir.resolve("requests.csv"), t, profiles);
        RequestRecordsWriter.write(dir.resolve("requests.csv.gz"), t, profiles);

        String plain = Files.readString(dir.resolve("requests.csv"));
        String gzipped;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("requests.csv.gz")))) {
            gzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(plain).isEqualTo(printedByCommonsCsv(t, profiles));
        assertThat(gzipped).isEqualTo(plain);

        // The scenario exercises every branch: completed with and without a TPOT, failed at arrival.
        List<String> rows = plain.lines().skip(1).toList();
        assertThat(rows).hasSize(300);
        assertThat(rows).anyMatch(row -> row.contains(",too_long.v2,") && row.contains(",EXCEEDS_CONTEXT,,,,,"));
        assertThat(rows).anyMatch(row -> row.matches("\\d+,chat,[^,]+,\\d+,1,COMPLETED,[^,]+,[^,]+,,[^,]+,0,.*"));
        assertThat(rows).anyMatch(row -> row.matches("\\d+,chat,[^,]+,\\d+,[23],COMPLETED,[^,]+,[^,]+,[^,]+,[^,]+,0,.*"));
    }
}
