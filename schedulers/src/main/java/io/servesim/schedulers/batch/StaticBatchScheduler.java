package io.servesim.schedulers.batch;

import io.servesim.core.engine.Replica;
import io.servesim.core.sched.SingleQueueScheduler;

/**
 * Request-level batching as Orca describes the systems before it: wait until B requests are queued
 * (or the head has waited the maximum wait), start them together on an empty replica, and decode
 * until the longest finishes; finished sequences keep their slot and the batch returns together.
 * A request that waited past the queue timeout fails when a batch is formed.
 */
public final class StaticBatchScheduler extends SingleQueueScheduler {
    private final StaticBatchRule rule;

    public StaticBatchScheduler(StaticBatchRule rule) {
        this.rule = rule;
    }

    @Override
    public void admit(Replica replica) {
        if (replica.runningCount() == 0) {
            rule.failTimedOutHeads(waiting, replica);
            if (rule.ready(waiting, replica)) {
                rule.admitBatch(waiting, replica);
            }
        }
    }

    /** On an empty replica: the end of the head's wait (or its timeout); while a batch runs nothing can start. */
    @Override
    public double wakeupTime(Replica replica) {
        return replica.runningCount() == 0 ? rule.wakeupTime(waiting, replica) : Double.POSITIVE_INFINITY;
    }

    /** A batch in progress is never joined. */
    @Override
    public boolean arrivalMayChangeBatch(Replica replica) {
        return replica.runningCount() == 0;
    }

    @Override
    public boolean holdsFinishedSlots() {
        return true;
    }
}
