package io.servesim.core.workload;

/**
 * A closed-loop workload: a fixed number of clients, each sending its next request only after its previous one
 * has ended (completed or failed), plus a think time — the load of vLLM's benchmark with {@code --max-concurrency}
 * and of genai-perf. Its arrivals depend on the service, so the engine feeds completions back:
 *
 * <ol>
 *   <li>{@link #nextArrivalSeconds()} says when the next request is due (+∞ while every client is waiting for an
 *       answer, or when the workload has ended); the engine schedules one arrival event at that time;</li>
 *   <li>at that event the engine takes the request with {@link #next()}: it arrives exactly then;</li>
 *   <li>whenever a request ends, the engine calls {@link #onRequestEnded} with the time, then asks
 *       {@link #nextArrivalSeconds()} again (the ended client may now be due before the event it had).</li>
 * </ol>
 *
 * <p>Requests are numbered 0, 1, 2, … in the order {@link #next()} hands them out, which is arrival order. A due
 * time is never earlier than the time of the call that made it due, so simulated time never goes back. An
 * open-loop source (every other {@link WorkloadSource}) is never asked any of this: the open-loop path of the
 * engine is unchanged and pays nothing.
 */
public interface ClosedLoopSource extends WorkloadSource {

    /** The clients (the concurrency N): requests in flight never exceed it. */
    int clients();

    /**
     * The request due at {@link #nextArrivalSeconds()}, with that arrival time; {@code null} when none is due
     * (the engine only asks when one is).
     */
    @Override
    RequestSpec next();

    /** When the next request is due, in seconds; +∞ when none is due until a request ends, or ever. */
    double nextArrivalSeconds();

    /** Request {@code id} ended, completed or failed, at {@code timeSeconds}: its client thinks, then sends again. */
    void onRequestEnded(long id, double timeSeconds);

    /** Whether no request will be sent any more, whatever ends (the request count or the duration is reached). */
    boolean exhausted();
}
