package io.servesim.core.engine;

import java.util.List;

/**
 * Watches the engines of a run without steering them: time series and timeline exports attach here, and a run
 * without an observer pays one null check per event. Calls come in event order; an observer must not change the
 * engines.
 *
 * <p>Between two calls for the same engine its state is constant — what it shows ({@link Replica#waitingCount()},
 * {@link Replica#runningCount()}, whether {@link Replica#inFlight()} is null) — except the progress of the iterations in flight, which
 * {@link Replica#inFlight()} gives for any time in closed form. Stepped and fast-forwarded runs show the same state at
 * every time.
 */
public interface EngineObserver {
    /**
     * {@code engine} is about to handle an event at {@code t}; what it shows now has held since its previous event
     * (or since time 0).
     */
    void beforeEvent(Replica engine, double t);

    /** The iterations in flight on {@code engine} end now (after {@link #beforeEvent} at their end). */
    void onIterationsEnd(Replica engine, IterationsInFlight span);

    /** The run ended at {@code t} (its last event). */
    void onRunEnd(List<Replica> engines, double t);

    /** Both observers, in this order. */
    static EngineObserver both(EngineObserver first, EngineObserver second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return new EngineObserver() {
            @Override
            public void beforeEvent(Replica engine, double t) {
                first.beforeEvent(engine, t);
                second.beforeEvent(engine, t);
            }

            @Override
            public void onIterationsEnd(Replica engine, IterationsInFlight span) {
                first.onIterationsEnd(engine, span);
                second.onIterationsEnd(engine, span);
            }

            @Override
            public void onRunEnd(List<Replica> engines, double t) {
                first.onRunEnd(engines, t);
                second.onRunEnd(engines, t);
            }
        };
    }
}
