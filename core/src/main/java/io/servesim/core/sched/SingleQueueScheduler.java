package io.servesim.core.sched;

import io.servesim.core.engine.Replica;

/**
 * The part every single-queue policy shares: arrivals join the back of one FIFO queue unless the
 * replica's queue limit rejects them, and preempted requests go back to its front. Subclasses decide
 * who joins the batch ({@link #admit}).
 */
public abstract class SingleQueueScheduler implements BatchScheduler {
    /** The waiting requests, oldest first (preempted ones at the front). */
    protected final RequestQueue waiting = new RequestQueue();

    @Override
    public void enqueue(int request, Replica replica) {
        if (!replica.rejectWhenQueueFull(request)) {
            waiting.addLast(request);
        }
    }

    @Override
    public void requeue(int request, Replica replica) {
        waiting.addFirst(request);
    }

    @Override
    public int waitingCount() {
        return waiting.size();
    }
}
