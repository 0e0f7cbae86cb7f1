package io.servesim.workloads.trace;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadYaml;
import io.servesim.workloads.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class TraceReplayTest {
    /** Seven rows in the Azure format, CRLF line ends, no newline after the last line. */
    private static final Path FIXTURE = resource("azure_fixture.csv");
    private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n";

    private static Path resource(String name) {
        try {
            return Path.of(TraceReplayTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WorkloadSpec traceWorkload(Object trace, String options, String limit) {
        return WorkloadYaml.parse("""
                %s
                profiles:
                  - name: replay
                    arrival: {type: trace, path: '%s'%s}
                """.formatted(limit, trace, options));
    }

    private static List<RequestSpec> drain(WorkloadSpec spec) {
        WorkloadSource source = Workloads.create(spec, new SplittableRandom(1));
        List<RequestSpec> requests = new ArrayList<>();
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            requests.add(r);
        }
        return requests;
    }

    @Test
    void azureFixtureIsReadExactly() {
        TraceTable table = TraceTable.read(FIXTURE, 0);
        assertThat(table.size()).isEqualTo(7);
        // seconds since 18:17:03.9799600: .03196 − .97996 + 1 = 0.052; 04.5 − 03.97996 = 0.52004; 09.97996 → 6.0
        assertThat(table.arrivalSeconds(0)).isEqualTo(0.0);
        assertThat(table.arrivalSeconds(1)).isCloseTo(0.052, offset(1e-9));
        assertThat(table.arrivalSeconds(2)).isCloseTo(0.52004, offset(1e-9));
        assertThat(table.arrivalSeconds(6)).isCloseTo(6.0, offset(1e-9));
        assertThat(table.promptColumn()).containsExactly(4808, 3180, 512, 1024, 77, 2048, 300);
        assertThat(table.outputColumn()).containsExactly(10, 8, 200, 64, 1, 333, 45);
    }

    @Test
    void replayWithoutLoopEndsAfterTheLastRow() {
        List<RequestSpec> requests = drain(traceWorkload(FIXTURE, "", ""));
        assertThat(requests).hasSize(7);
        assertThat(requests).extracting(RequestSpec::promptTokens).containsExactly(4808, 3180, 512, 1024, 77, 2048, 300);
        assertThat(requests).extracting(RequestSpec::outputTokens).containsExactly(10, 8, 200, 64, 1, 333, 45);
        assertThat(requests).extracting(RequestSpec::id).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(requests.get(6).arrivalTime()).isCloseTo(6.0, offset(1e-9));
    }

    @Test
    void loopRepeatsTheTraceOnePeriodLater() {
        // span 6 s over 7 rows: period = 6·7/6 = 7 s, so row 0 of the second pass arrives at 7.0, row 1 at 7.052.
        List<RequestSpec> requests = drain(traceWorkload(FIXTURE, ", loop: true", "requests: 9"));
        assertThat(requests).hasSize(9);
        assertThat(requests.get(7).arrivalTime()).isCloseTo(7.0, offset(1e-9));
        assertThat(requests.get(8).arrivalTime()).isCloseTo(7.052, offset(1e-9));
        assertThat(requests.get(8).promptTokens()).isEqualTo(3180);
    }

    @Test
    void timeScaleStretchesAndRpsScaleCompresses() {
        // time_scale 2 and rps_scale 4: times × 2 / 4, so the last row arrives at 6.0 · 0.5 = 3.0 s.
        List<RequestSpec> requests = drain(traceWorkload(FIXTURE, ", time_scale: 2", "rps_scale: 4"));
        assertThat(requests.get(6).arrivalTime()).isCloseTo(3.0, offset(1e-9));
    }

    @Test
    void maxRequestsKeepsOnlyTheFirstRows() {
        assertThat(drain(traceWorkload(FIXTURE, ", max_requests: 3", ""))).hasSize(3);
    }

    @Test
    void malformedLineIsReportedWithItsNumber(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, HEADER
                + "2023-11-16 18:17:03.9799600,4808,10\r\n"
                + "2023-11-16 18:17:04.0319600,3180,8\r\n"
                + "2023-11-16 18:17:04.5000000,512,abc\r\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessage("trace.csv line 4: GeneratedTokens 'abc' is not an integer");
    }

    @Test
    void malformedLineInAWorkloadNamesTheProfile(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, HEADER + "2023-11-16 18:17:03.9799600,4808,10\r\n2023-11-16 18:17:04,x,8");
        assertThatThrownBy(() -> drain(traceWorkload(trace, "", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0] (replay): trace.csv line 3: ContextTokens 'x' is not an integer");
    }

    @Test
    void wrongFieldCountIsReported(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, HEADER + "2023-11-16 18:17:03.9799600,4808\r\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0))
                .hasMessage("trace.csv line 2: expected 3 fields, got 2");
    }

    @Test
    void badTimestampIsReported(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, HEADER + "16/11/2023 18:17,4808,10\r\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0))
                .hasMessageStartingWith("trace.csv line 2: TIMESTAMP '16/11/2023 18:17' is not a timestamp");
    }

    @Test
    void unsortedTimestampsAreRejected(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, HEADER
                + "2023-11-16 18:17:04.0000000,1,1\r\n"
                + "2023-11-16 18:17:03.0000000,1,1\r\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0))
                .hasMessageStartingWith("trace.csv line 3: TIMESTAMP '2023-11-16 18:17:03.0000000' is earlier than the line before");
    }

    @Test
    void unknownHeaderListsTheKnownFormats(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "time,in,out\n0,1,1\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0))
                .hasMessage("trace.csv line 1: unrecognised header time,in,out; expected "
                        + "TIMESTAMP,ContextTokens,GeneratedTokens (Azure trace) or arrival_s,prompt_tokens,output_tokens (plain)");
    }

    @Test
    void emptyAndHeaderOnlyFilesAreRejected(@TempDir Path folder) throws IOException {
        Path empty = Files.writeString(folder.resolve("empty.csv"), "");
        Path headerOnly = Files.writeString(folder.resolve("header.csv"), HEADER);
        assertThatThrownBy(() -> TraceTable.read(empty, 0)).hasMessageStartingWith("empty.csv: the trace is empty");
        assertThatThrownBy(() -> TraceTable.read(headerOnly, 0))
                .hasMessage("header.csv: the trace has a header but no requests");
    }

    @Test
    void plainFormatKeepsArrivalTimesAsGiven(@TempDir Path folder) throws IOException {
        Path trace = Files.writeString(folder.resolve("plain.csv"),
                "arrival_s,prompt_tokens,output_tokens,profile\n0.5,100,10,a\n1.5,200,20,b\n");
        TraceTable table = TraceTable.read(trace, 0);
        assertThat(table.arrivalSeconds(0)).isEqualTo(0.5);
        assertThat(table.promptColumn()).containsExactly(100, 200);
    }

    @Test
    void bundledAzureTracesReplayWithTheirPublishedCounts() {
        // counts, token sums and spans as computed from the published files with awk and by hand from the
        // first/last timestamps
        assertTrace("bundled:azure-code-2023", 8_819, 18_059_974L, 245_896L, 3_435.948056);
        assertTrace("bundled:azure-conv-2023", 19_366, 22_361_870L, 4_088_665L, 3_501.721937);
    }

    @Test
    void anUnknownBundledTraceNamesTheOnesThatExist() {
        assertThatThrownBy(() -> TraceTable.read("bundled:azure-2024", 0))
                .hasMessage("path: no bundled trace 'azure-2024'; the bundled traces are bundled:azure-code-2023, "
                        + "bundled:azure-conv-2023");
    }

    private static void assertTrace(String trace, int rows, long promptSum, long outputSum, double spanSeconds) {
        List<RequestSpec> requests = drain(traceWorkload(trace, "", ""));
        assertThat(requests).hasSize(rows);
        assertThat(requests.stream().mapToLong(RequestSpec::promptTokens).sum()).isEqualTo(promptSum);
        assertThat(requests.stream().mapToLong(RequestSpec::outputTokens).sum()).isEqualTo(outputSum);
        assertThat(requests.get(rows - 1).arrivalTime()).isCloseTo(spanSeconds, offset(1e-6));
    }
}
