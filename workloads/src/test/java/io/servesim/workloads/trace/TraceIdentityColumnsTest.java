package io.servesim.workloads.trace;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.WorkloadYaml;
import io.servesim.workloads.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A plain trace may carry session_id, prefix_id and prefix_tokens columns; requests carry them on. */
class TraceIdentityColumnsTest {

    private static List<RequestSpec> replay(Path trace, String options, String limit) {
        WorkloadSource source = Workloads.create(WorkloadYaml.parse("""
                %s
                profiles:
                  - name: replay
                    arrival: {type: trace, path: '%s'%s}
                """.formatted(limit, trace, options)), new SplittableRandom(1));
        List<RequestSpec> requests = new ArrayList<>();
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            requests.add(r);
        }
        return requests;
    }

    @Test
    void sessionAndPrefixColumnsBecomeTheRequestsIdentity(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, """
                arrival_s,prompt_tokens,output_tokens,prefix_id,session_id,prefix_tokens
                0.0,600,10,3,7,512
                0.5,300,10,,,
                1.0,900,10,3,7,512
                """);
        List<RequestSpec> r = replay(trace, "", "");
        assertThat(r).extracting(RequestSpec::prefixId).containsExactly(3L, -1L, 3L);
        assertThat(r).extracting(RequestSpec::prefixTokens).containsExactly(512, 0, 512);
        assertThat(r).extracting(RequestSpec::sessionId).containsExactly(7L, -1L, 7L);
    }

    @Test
    void aLoopedTracesLaterPassesAreNewSessions(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "arrival_s,prompt_tokens,output_tokens,session_id\n0.0,100,10,0\n1.0,200,10,1\n");
        // ids 0 and 1 in the trace: pass 1 shifts them by 2
        assertThat(replay(trace, ", loop: true", "requests: 4")).extracting(RequestSpec::sessionId)
                .containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void aTraceWithoutTheColumnsHasNoIdentity(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "arrival_s,prompt_tokens,output_tokens\n0.0,100,10\n1.0,200,10\n");
        assertThat(replay(trace, "", "")).allSatisfy(r -> {
            assertThat(r.sessionId()).isEqualTo(-1);
            assertThat(r.prefixId()).isEqualTo(-1);
        });
    }

    @Test
    void prefixIdNeedsPrefixTokens(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "arrival_s,prompt_tokens,output_tokens,prefix_id\n0.0,100,10,1\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0)).isInstanceOf(ConfigException.class)
                .hasMessage("trace.csv line 1: prefix_id and prefix_tokens go together; the header has only prefix_id");
    }

    @Test
    void prefixLongerThanThePromptIsRejected(@TempDir Path folder) throws IOException {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "arrival_s,prompt_tokens,output_tokens,prefix_id,prefix_tokens\n0.0,100,10,1,200\n");
        assertThatThrownBy(() -> TraceTable.read(trace, 0)).isInstanceOf(ConfigException.class)
                .hasMessage("trace.csv line 2: prefix_tokens must be in [0, prompt_tokens (100)], got 200");
    }
}
