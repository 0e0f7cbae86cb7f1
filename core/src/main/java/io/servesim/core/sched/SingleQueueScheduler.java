package io.servesim.core.sched;

/**
 * The part every single-queue policy shares: arrivals join the back of one FIFO queue, preempted requests go back
 * to its front, withdrawn ones leave it. Subclasses decide who joins the batch ({@link #admit}).
 */
public abstract class SingleQueueScheduler implements BatchScheduler {
    /** The waiting requests, oldest first (preempted ones at the front). */
    protected final RequestQueue waiting = new RequestQueue();

    @Override
    public void enqueue(int request, ReplicaView replica) {
        waiting.addLast(request);
    }

    @Override
    public void requeue(int request, ReplicaView replica) {
        waiting.addFirst(request);
    }

    @Override
    public void withdraw(int request, ReplicaView replica) {
        waiting.remove(request);
    }
}
