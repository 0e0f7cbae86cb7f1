package io.servesim.core.sched;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Replica;

/**
 * Iteration-level (continuous) batching as in Orca and vLLM: first come, first served; at every
 * boundary the head of the queue joins the batch while it fits (a free slot under
 * {@code max_num_seqs}, KV blocks for its prompt, token budget for its first chunk). Preempted
 * requests return to the head. A request that waited longer than the queue timeout fails with
 * {@code TIMEOUT} when it reaches the head; a full queue rejects arrivals with {@code QUEUE_FULL}.
 */
public final class ContinuousBatchingScheduler extends SingleQueueScheduler {

    @Override
    public void admit(Replica replica) {
        double timeout = replica.config().queueTimeoutSeconds();
        while (!waiting.isEmpty()) {
            int head = waiting.peekFirst();
            if (replica.now() >= replica.requests().arrivalTime(head) + timeout
                    && Double.isNaN(replica.requests().firstScheduledTime(head))) {
                waiting.pollFirst();
                replica.fail(head, Outcome.TIMEOUT);
            } else if (replica.fits(head)) {
                waiting.pollFirst();
                replica.admit(head);
            } else {
                return;
            }
        }
    }

    /** The head's timeout, so a run of decode iterations stops there and the head fails on time. */
    @Override
    public double wakeupTime(Replica replica) {
        if (waiting.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        int head = waiting.peekFirst();
        return Double.isNaN(replica.requests().firstScheduledTime(head))
                ? replica.requests().arrivalTime(head) + replica.config().queueTimeoutSeconds()
                : Double.POSITIVE_INFINITY;
    }

    /** An arrival behind a head that cannot be admitted changes nothing until the batch changes. */
    @Override
    public boolean arrivalMayChangeBatch(Replica replica) {
        return waiting.isEmpty();
    }
}
