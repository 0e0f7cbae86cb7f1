package io.servesim.workloads;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes generated requests to CSV:
 * {@code arrival_s,prompt_tokens,output_tokens,profile,session_id,turn,prefix_id,prefix_tokens} (−1 for no session
 * or no shared prefix). The first three columns are the plain trace format and {@code session_id}, {@code prefix_id}
 * and {@code prefix_tokens} its optional identity columns, so a sample replays as a trace with the same prompt
 * identities (and the same prefix-cache hits).
 */
public final class WorkloadSampler {
    /** The header line. */
    public static final String HEADER =
            "arrival_s,prompt_tokens,output_tokens,profile,session_id,turn,prefix_id,prefix_tokens";

    private WorkloadSampler() {
    }

    /**
     * Writes the first {@code n} requests of {@code spec} drawn from {@code seed} (fewer if the workload ends
     * sooner), with the header line, to {@code out}. The caller decides where the text goes (the command line writes
     * it to a file atomically).
     *
     * @return the number of requests written
     */
    public static long write(WorkloadSpec spec, long seed, long n, Writer out) throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (spec.closedLoop() != null) {
            throw new ConfigException("workload: a closed_loop workload's arrival times depend on the simulated "
                    + "service, so it cannot be sampled without a run; `workload describe` shows its lengths");
        }
        WorkloadSource source = Workload.compile(spec.withRequests(n)).newSource(seed);
        List<ProfileInfo> profiles = source.profiles();
        long written = 0;
        out.write(HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(64);
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            line.setLength(0);
            line.append(r.arrivalTime()).append(',').append(r.promptTokens()).append(',')
                    .append(r.outputTokens()).append(',').append(profiles.get(r.profile()).name()).append(',')
                    .append(r.sessionId()).append(',').append(r.turn()).append(',').append(r.prefixId())
                    .append(',').append(r.prefixTokens()).append('\n');
            out.append(line);
            written++;
        }
        out.flush();
        return written;
    }
}
