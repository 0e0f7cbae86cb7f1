package io.servesim.core.sched;

/**
 * Replica-level batching policy. The engine owns the mechanics (KV blocks and the prefix cache, the token budget,
 * chunked prefill, preemption by recompute, decoding every running sequence each iteration, the queue limit and
 * the queue timeout); the scheduler owns the waiting requests and decides, at iteration boundaries, which of them
 * join the batch ({@link ReplicaView#admit}). It sees the engine only through {@link ReplicaView}.
 *
 * <p>The engine consults {@link #admit} only at boundaries where the batch may change: after an
 * iteration with prefill work, after a completion, after an arrival that {@link #arrivalMayChangeBatch}
 * lets through, after a preemption, at a queue timeout and at {@link #wakeupTime}. Between those, decode
 * iterations run back to back without asking. A scheduler must therefore not become able to admit a request
 * merely because decode iterations passed (KV usage only grows during such a run); a test steps
 * every iteration and compares byte for byte to hold implementations to this.
 *
 * <p>One instance serves one replica; it is not shared and not thread-safe.
 */
public interface BatchScheduler {

    /** A request routed to this replica that the queue limit let in: queue it. */
    void enqueue(int request, ReplicaView replica);

    /** A preempted request comes back; it should be among the first to be readmitted. */
    void requeue(int request, ReplicaView replica);

    /**
     * The engine failed a waiting request (its queue timeout passed): remove it from the queues. Timeouts expire
     * in arrival order, so the request is usually near the front.
     */
    void withdraw(int request, ReplicaView replica);

    /** At an iteration boundary: admit waiting requests with {@link ReplicaView#admit} while the policy allows. */
    void admit(ReplicaView replica);

    /**
     * Time at which the scheduler wants {@link #admit} called even if nothing else happens (e.g. the
     * maximum wait of static batching), or +∞.
     */
    default double wakeupTime(ReplicaView replica) {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Whether a new arrival could change the batch before the next completion. Returning
     * {@code true} is always correct; {@code false} lets the engine keep a run of decode
     * iterations going (e.g. FCFS with a head that cannot be admitted yet).
     */
    default boolean arrivalMayChangeBatch(ReplicaView replica) {
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
    default void onCompleted(int request, ReplicaView replica) {
    }

    /** Called after every run of iterations the replica completed, for schedulers with feedback controllers. */
    default void onIterations(ReplicaView replica, long iterations, double lastIterationSeconds) {
    }
}
