package io.servesim.core.engine;

import io.servesim.core.sched.RequestQueue;

/**
 * The queue timeout's bookkeeping: requests routed here in arrival order, so the first one still waiting and never
 * scheduled is the next to time out (all share one timeout). Entries that were scheduled or ended meanwhile are
 * dropped lazily from the front: amortised O(1) per request. Without a timeout it keeps nothing.
 */
final class WaitingDeadlines {
    private final RequestTable requests;
    private final double timeoutSeconds;
    private final RequestQueue arrivals = new RequestQueue();

    WaitingDeadlines(RequestTable requests, double timeoutSeconds) {
        this.requests = requests;
        this.timeoutSeconds = timeoutSeconds;
    }

    void add(int request) {
        if (timeoutSeconds < Double.POSITIVE_INFINITY) {
            arrivals.addLast(request);
        }
    }

    /** The front request if it timed out at {@code t} (and removes it), else −1. */
    int expired(double t) {
        if (dropSettled() && t >= requests.arrivalTime(arrivals.peekFirst()) + timeoutSeconds) {
            return arrivals.pollFirst();
        }
        return -1;
    }

    /** When the next request times out, or +∞. */
    double next() {
        return dropSettled() ? requests.arrivalTime(arrivals.peekFirst()) + timeoutSeconds : Double.POSITIVE_INFINITY;
    }

    /** Drops front entries that no longer wait unscheduled; whether one is left. */
    private boolean dropSettled() {
        while (!arrivals.isEmpty()) {
            int r = arrivals.peekFirst();
            if (requests.state[r] == RequestTable.WAITING && Double.isNaN(requests.firstScheduledTime(r))) {
                return true;
            }
            arrivals.pollFirst();
        }
        return false;
    }
}
