package io.servesim.schedulers.batch;

import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.BatchScheduler;
import io.servesim.core.sched.RequestQueue;

/**
 * Dynamic batching: first-come-first-served continuous batching whose admissions are limited by a
 * {@link DynamicBatchController} (memory-aware and SLA-constrained batch-size control, capacity policy).
 */
public final class DynamicBatchScheduler implements BatchScheduler {
    private final DynamicBatchController controller;
    private final RequestQueue waiting = new RequestQueue();

    public DynamicBatchScheduler(DynamicBatchController controller) {
        this.controller = controller;
    }

    @Override
    public void enqueue(int request, ReplicaView replica) {
        controller.onArrival(arrivalMayChangeBatch(replica));
        waiting.addLast(request);
    }

    @Override
    public void requeue(int request, ReplicaView replica) {
        controller.onLeft(request, replica);
        waiting.addFirst(request);
    }

    @Override
    public void admit(ReplicaView replica) {
        controller.beginBoundary(replica);
        controller.admitFrom(waiting, replica, Integer.MAX_VALUE);
        controller.endBoundary(replica);
    }

    @Override
    public void withdraw(int request, ReplicaView replica) {
        waiting.remove(request);
    }

    /** Behind a head the controller refused, an arrival changes nothing until the batch changes. */
    @Override
    public boolean arrivalMayChangeBatch(ReplicaView replica) {
        return !controller.blocked();
    }

    @Override
    public void onCompleted(int request, ReplicaView replica) {
        controller.onLeft(request, replica);
    }

    @Override
    public void onIterations(ReplicaView replica, long iterations, double lastIterationSeconds) {
        controller.onIterations(lastIterationSeconds);
    }
}
