package io.servesim.workloads.trace;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.LengthDistribution;
import io.servesim.workloads.dist.TabulatedLength;
import io.servesim.workloads.profile.ClientProfile;
import io.servesim.workloads.profile.ProfileSpec;
import io.servesim.workloads.profile.ProfileStream;

import java.util.SplittableRandom;

/**
 * A profile that replays a trace: row i arrives at (arrival_i + pass·period)·time_scale / rps_scale with the
 * row's prompt and output lengths. The period of a loop is the trace's span plus one mean gap,
 * span·n/(n − 1), so the looped traffic keeps the trace's mean rate and no two passes overlap. The trace
 * is read once, into primitive columns; no file stays open while the workload streams.
 */
public final class TraceProfile implements ClientProfile {
    private final ProfileInfo info;
    private final TraceTable table;
    private final boolean loop;
    private final double timeFactor;
    private final double periodSeconds;
    private final LengthDistribution prompt;
    private final LengthDistribution output;

    public TraceProfile(ProfileSpec spec, ArrivalSpec.Trace trace, double rpsScale) {
        this.info = new ProfileInfo(spec.name(), spec.sla().toSla());
        this.table = TraceTable.read(trace.path(), trace.maxRequests() == null ? 0 : trace.maxRequests());
        if (table.size() < 2 || !(table.spanSeconds() > 0)) {
            throw new ConfigException(trace.path() + ": a replayed trace needs at least "
                    + "2 requests with different arrival times, got " + table.size());
        }
        this.loop = trace.loop();
        this.timeFactor = trace.timeScale() / rpsScale;
        this.periodSeconds = table.spanSeconds() * table.size() / (table.size() - 1);
        this.prompt = TabulatedLength.ofSample(table.promptColumn());
        this.output = TabulatedLength.ofSample(table.outputColumn());
    }

    @Override
    public ProfileInfo info() {
        return info;
    }

    /** Rows per period: n / (period·time_scale / rps_scale). */
    @Override
    public double requestRatePerSecond() {
        return table.size() / (periodSeconds * timeFactor);
    }

    @Override
    public LengthDistribution prompt() {
        return prompt;
    }

    @Override
    public LengthDistribution output() {
        return output;
    }

    @Override
    public boolean multiTurn() {
        return false;
    }

    @Override
    public boolean finite() {
        return !loop;
    }

    /** The trace draws no random numbers; {@code random} is accepted so every profile splits the root alike. */
    @Override
    public ProfileStream open(int profileIndex, SplittableRandom random) {
        long sessionsPerPass = table.maxSessionId() + 1;
        return new ProfileStream() {
            private int row;
            private long pass;

            @Override
            public double peekArrivalSeconds() {
                if (row == table.size()) {
                    return Double.POSITIVE_INFINITY;
                }
                return (table.arrivalSeconds(row) + pass * periodSeconds) * timeFactor;
            }

            @Override
            public RequestSpec emit(long id) {
                // a looped trace's later passes are new conversations: their session ids are shifted past the trace's
                long session = table.sessionId(row);
                RequestSpec request = new RequestSpec(id, peekArrivalSeconds(), table.promptTokens(row),
                        table.outputTokens(row), profileIndex, session < 0 ? -1 : session + pass * sessionsPerPass, 0,
                        table.prefixId(row) < 0 ? -1 : table.prefixId(row), table.prefixTokens(row));
                row++;
                if (loop && row == table.size()) {
                    row = 0;
                    pass++;
                }
                return request;
            }
        };
    }
}
