package io.servesim.core.sched;

import io.servesim.core.engine.Replica;

/**
 * Replica-level batching policy. The replica owns the mechanics (KV blocks, the token budget,
 * chunked prefill, preemption by recompute, decoding every running sequence each iteration); the
 * scheduler owns the waiting requests and decides, at iteration boundaries, which of them join the
 * batch ({@link Replica#admit}).
 *
 * <p>The engine consults {@link #admit} only at boundaries where the batch may change: after an
 * iteration with prefill work, after a completion, after an arrival that {@link #arrivalMayChangeBatch}
 * lets through, after a preemption and at {@link #wakeupTime()}. Between those, decode iterations
 * run back to back without asking. A scheduler must therefore not become able to admit a request
 * merely because decode iterations passed (KV usage only grows during such a run); a test steps
 * every iteration and compares byte for byte to hold implementations to this.
 *
 * <p>One instance serves one replica; it is not shared and not thread-safe.
 */
public interface BatchScheduler {

    /** A request routed to this replica. Queue it, or fail it ({@link Replica#fail}), e.g. when the queue is full. */
    void enqueue(int request, Replica replica);

    /** A preempted request comes back; it should be among the first to be readmitted. */
    void requeue(int request, Replica replica);

    /** At an iteration boundary: admit waiting requests with {@link Replica#admit} while the policy allows. */
    void admit(Replica replica);

    /** Requests waiting in this scheduler's queues. */
    int waitingCount();

    /**
     * Time at which the scheduler wants {@link #admit} called even if nothing else happens (e.g. the
     * maximum wait of static batching), or +∞.
     */
    default double wakeupTime(Replica replica) {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Whether a new arrival could change the batch before the next completion. Returning
     * {@code true} is always correct; {@code false} lets the engine keep a run of decode
     * iterations going (e.g. FCFS with a head that cannot be admitted yet).
     */
    default boolean arrivalMayChangeBatch(Replica replica) {
        return true;
    }

    /**
     * Request-level batching: a finished sequence keeps its slot (it is still computed and keeps its
     * KV) and all sequences of the batch return together when the last one finishes.
     */
    default boolean holdsFinishedSlots() {
        return false;
    }

    /** A request admitted by this scheduler completed (its KV blocks are free again). */
    default void onCompleted(int request, Replica replica) {
    }

    /** Called after every run of iterations the replica completed, for schedulers with feedback controllers. */
    default void onIterations(Replica replica, long iterations, double lastIterationSeconds) {
    }
}
