package io.servesim.core.testing;

import io.servesim.core.engine.Replica;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run as a list of raw numbers, for bit-for-bit comparisons of runs that must be identical. */
public final class RunFingerprint {
    /** Values per request at the head of a fingerprint. */
    public static final int REQUEST_FIELDS = 8;

    private RunFingerprint() {
    }

    /** Every per-request value and replica counter, with doubles as raw bits. */
    public static List<Long> of(SimulationResult r) {
        List<Long> out = new ArrayList<>();
        RequestTable t = r.requests();
        for (int i = 0; i < t.size(); i++) {
            out.add(Double.doubleToRawLongBits(t.arrivalTime(i)));
            out.add(Double.doubleToRawLongBits(t.firstScheduledTime(i)));
            out.add(Double.doubleToRawLongBits(t.firstTokenTime(i)));
            out.add(Double.doubleToRawLongBits(t.finishTime(i)));
            out.add((long) t.outcome(i).ordinal());
            out.add((long) t.replica(i));
            out.add((long) t.preemptions(i));
            out.add((long) t.generatedTokens(i));
        }
        for (int i = 0; i < r.cluster().replicaCount(); i++) {
            Replica rep = r.cluster().replica(i);
            out.add(rep.stats().iterations());
            out.add(rep.stats().batchSequencesSum());
            out.add(Double.doubleToRawLongBits(rep.stats().busySeconds()));
            out.add(Double.doubleToRawLongBits(rep.stats().communicationSeconds()));
            for (int s = 0; s < rep.pipelineStages(); s++) {
                out.add(Double.doubleToRawLongBits(rep.stats().stageBusySeconds(s)));
                out.add(Double.doubleToRawLongBits(rep.stats().stageCommunicationSeconds(s)));
            }
            out.add((long) rep.stats().replicaPeakUsedBlocks());
            out.add(Double.doubleToRawLongBits(rep.stats().kvBlockSeconds()));
            out.add(Double.doubleToRawLongBits(rep.stats().flops()));
            out.add(Double.doubleToRawLongBits(rep.stats().hbmBytes()));
            out.add((long) rep.stats().peakUsedBlocks());
            out.add(rep.stats().preemptions());
        }
        out.add(Double.doubleToRawLongBits(r.horizonSeconds()));
        return out;
    }

    /** Index of the first differing value of two fingerprints (their common length if none). */
    public static int firstDifference(List<Long> a, List<Long> b) {
        int i = 0;
        while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /** Asserts two runs are identical, naming the first request and field that differ. */
    public static void assertBitIdentical(SimulationResult actual, SimulationResult expected) {
        List<Long> a = of(actual);
        List<Long> b = of(expected);
        int first = firstDifference(a, b);
        assertThat(first).as("first differing value (request %d, field %d)", first / REQUEST_FIELDS,
                first % REQUEST_FIELDS).isEqualTo(Math.max(a.size(), b.size()));
    }
}
