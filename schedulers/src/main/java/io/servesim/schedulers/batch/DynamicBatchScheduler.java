package io.servesim.schedulers.batch;

import io.servesim.core.engine.Replica;
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
    public void enqueue(int request, Replica replica) {
        if (replica.rejectWhenQueueFull(request)) {
            return;
        }
        controller.onArrival(arrivalMayChangeBatch(replica));
        waiting.addLast(request);
    }

    @Override
    public void requeue(int request, Replica replica) {
        controller.onLeft(request, replica);
        waiting.addFirst(request);
    }

    @Override
    public void admit(Replica replica) {
        controller.beginBoundary(replica);
        controller.admitFrom(waiting, replica, Integer.MAX_VALUE);
        controller.endBoundary(replica);
    }

    @Override
    public int waitingCount() {
        return waiting.size();
    }

    @Override
    public double wakeupTime(Replica replica) {
        return HeadTimeout.headDeadline(waiting, replica);
    }

    /** Behind a head the controller refused, an arrival changes nothing until the batch changes. */
    @Override
    public boolean arrivalMayChangeBatch(Replica replica) {
        return !controller.blocked();
    }

    @Override
    public void onCompleted(int request, Replica replica) {
        controller.onLeft(request, replica);
    }

    @Override
    public void onIterations(Replica replica, long iterations, double lastIterationSeconds) {
        controller.onIterations(lastIterationSeconds);
    }
}
