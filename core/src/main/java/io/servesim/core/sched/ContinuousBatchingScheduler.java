package io.servesim.core.sched;

/**
 * Iteration-level (continuous) batching as in Orca and vLLM: first come, first served; at every
 * boundary the head of the queue joins the batch while it fits (a free slot under
 * {@code max_num_seqs}, KV blocks for its prompt, token budget for its first chunk). Preempted
 * requests return to the head.
 */
public final class ContinuousBatchingScheduler extends SingleQueueScheduler {

    @Override
    public void admit(ReplicaView replica) {
        while (!waiting.isEmpty() && replica.fits(waiting.peekFirst())) {
            replica.admit(waiting.pollFirst());
        }
    }

    /** An arrival behind a head that cannot be admitted changes nothing until the batch changes. */
    @Override
    public boolean arrivalMayChangeBatch(ReplicaView replica) {
        return waiting.isEmpty();
    }
}
