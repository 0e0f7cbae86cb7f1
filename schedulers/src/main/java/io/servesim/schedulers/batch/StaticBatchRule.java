package io.servesim.schedulers.batch;

import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.Replica;
import io.servesim.core.sched.RequestQueue;

/**
 * Request-level (static) batching of one queue: a batch is ready when {@code batchSize} requests
 * wait or the head has waited {@code maxWaitSeconds}; it starts only on an empty replica, and up
 * to {@code batchSize} requests from the head join it together.
 *
 * @param batchSize      B, requests per batch
 * @param maxWaitSeconds longest time the head waits for a full batch (+∞: wait for B)
 */
public record StaticBatchRule(int batchSize, double maxWaitSeconds) {
    public StaticBatchRule {
        ConfigException.require(batchSize >= 1, "batch_size", "must be >= 1", batchSize);
        ConfigException.require(maxWaitSeconds >= 0, "max_wait_seconds", "must be >= 0", maxWaitSeconds);
    }

    /** Whether {@code queue} has a batch ready to start now (the replica must also be empty). */
    public boolean ready(RequestQueue queue, Replica replica) {
        return !queue.isEmpty() && (queue.size() >= batchSize || replica.now() >= formationDeadline(queue, replica));
    }

    /** When the head's wait for a full batch ends, or +∞ for an empty queue. */
    double formationDeadline(RequestQueue queue, Replica replica) {
        return queue.isEmpty() ? Double.POSITIVE_INFINITY
                : replica.requests().arrivalTime(queue.peekFirst()) + maxWaitSeconds;
    }

    /** Admits up to B requests from the head of {@code queue} (timed-out heads fail); returns how many. */
    int admitBatch(RequestQueue queue, Replica replica) {
        int admitted = 0;
        while (admitted < batchSize && !queue.isEmpty()) {
            if (HeadTimeout.failIfTimedOut(queue, replica)) {
                continue;
            }
            int head = queue.peekFirst();
            if (!replica.fits(head)) {
                break;
            }
            queue.pollFirst();
            replica.admit(head);
            admitted++;
        }
        return admitted;
    }

    /** The next time something can happen to an idle replica waiting on {@code queue}: formation or timeout. */
    double wakeupTime(RequestQueue queue, Replica replica) {
        return Math.min(formationDeadline(queue, replica), HeadTimeout.headDeadline(queue, replica));
    }
}
