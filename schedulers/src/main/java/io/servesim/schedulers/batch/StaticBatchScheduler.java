package io.servesim.schedulers.batch;

import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.SingleQueueScheduler;

/**
 * Request-level batching as Orca describes the systems before it: wait until B requests are queued
 * (or the head has waited the maximum wait), start them together on an empty replica, and decode
 * until the longest finishes; finished sequences keep their slot and the batch returns together.
 */
public final class StaticBatchScheduler extends SingleQueueScheduler {
    private final StaticBatchRule rule;

    public StaticBatchScheduler(StaticBatchRule rule) {
        this.rule = rule;
    }

    @Override
    public void admit(ReplicaView replica) {
        if (replica.runningCount() == 0) {
            if (rule.ready(waiting, replica)) {
                rule.admitBatch(waiting, replica);
            }
        }
    }

    /** On an empty replica: the end of the head's wait; while a batch runs nothing can start. */
    @Override
    public double wakeupTime(ReplicaView replica) {
        return replica.runningCount() == 0 ? rule.wakeupTime(waiting, replica) : Double.POSITIVE_INFINITY;
    }

    /** A batch in progress is never joined. */
    @Override
    public boolean arrivalMayChangeBatch(ReplicaView replica) {
        return replica.runningCount() == 0;
    }

    @Override
    public boolean holdsFinishedSlots() {
        return true;
    }
}
