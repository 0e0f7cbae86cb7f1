package io.servesim.schedulers.batch;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Replica;
import io.servesim.core.sched.RequestQueue;

/**
 * The replica's queue timeout ({@code queue_timeout_seconds}) applied as core's continuous batching
 * applies it: a request that was never scheduled and waited longer than the timeout fails with
 * {@code TIMEOUT} when it reaches the head of the queue being served.
 */
final class HeadTimeout {
    private HeadTimeout() {
    }

    /** Fails and removes the head of {@code queue} if it timed out; false if the head may wait on. */
    static boolean failIfTimedOut(RequestQueue queue, Replica replica) {
        int head = queue.peekFirst();
        if (replica.now() < deadline(head, replica)) {
            return false;
        }
        queue.pollFirst();
        replica.fail(head, Outcome.TIMEOUT);
        return true;
    }

    /** When the head of {@code queue} times out, or +∞ (empty queue, head already scheduled once). */
    static double headDeadline(RequestQueue queue, Replica replica) {
        return queue.isEmpty() ? Double.POSITIVE_INFINITY : deadline(queue.peekFirst(), replica);
    }

    private static double deadline(int request, Replica replica) {
        return Double.isNaN(replica.requests().firstScheduledTime(request))
                ? replica.requests().arrivalTime(request) + replica.config().queueTimeoutSeconds()
                : Double.POSITIVE_INFINITY;
    }
}
