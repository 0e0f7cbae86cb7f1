package io.servesim.schedulers.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.RequestQueue;

/** Which bin multi-bin batching serves next, among the bins that can form a batch. Ties go to the lowest index. */
public enum BinSelectionPolicy {
    /** The bin whose head request arrived first (closest to FCFS across bins). */
    @JsonProperty("oldest_head") OLDEST_HEAD,
    /** The bin with the most waiting requests. */
    @JsonProperty("longest_queue") LONGEST_QUEUE,
    /** The next eligible bin after the one served last, cyclically. */
    @JsonProperty("round_robin") ROUND_ROBIN;

    /** Whether a bin can form a batch now. */
    @FunctionalInterface
    interface Eligibility {
        boolean eligible(RequestQueue bin, ReplicaView replica);
    }

    /** The bin to serve, or −1 if none is eligible; {@code last} is the bin served last (−1 for none). O(K). */
    int pick(RequestQueue[] bins, int last, Eligibility eligibility, ReplicaView replica) {
        int k = bins.length;
        int best = -1;
        for (int step = 0; step < k; step++) {
            int i = this == ROUND_ROBIN ? (last + 1 + step) % k : step;
            RequestQueue bin = bins[i];
            if (!eligibility.eligible(bin, replica)) {
                continue;
            }
            if (this == ROUND_ROBIN) {
                return i;
            }
            if (best < 0 || better(bin, bins[best], replica)) {
                best = i;
            }
        }
        return best;
    }

    private boolean better(RequestQueue candidate, RequestQueue best, ReplicaView replica) {
        return this == LONGEST_QUEUE ? candidate.size() > best.size()
                : replica.requests().arrivalTime(candidate.peekFirst()) < replica.requests().arrivalTime(best.peekFirst());
    }
}
