package io.servesim.core.engine;

/**
 * How a request ended. Every arrived request ends in exactly one outcome, or is still in flight
 * when the run stops ({@link #IN_FLIGHT}).
 */
public enum Outcome {
    /** Still queued or running when the run stopped. */
    IN_FLIGHT,
    COMPLETED,
    /** Prompt plus output exceed the model's maximum context. */
    EXCEEDS_CONTEXT,
    /** The request's KV cache could never fit in the replica's KV capacity. */
    EXCEEDS_KV_CAPACITY,
    /** The prompt exceeds {@code max_num_batched_tokens} and chunked prefill is off. */
    EXCEEDS_TOKEN_BUDGET,
    /** The replica's waiting queue was full on arrival. */
    QUEUE_FULL,
    /** The request waited longer than the queue timeout before it was scheduled. */
    TIMEOUT;

    private static final Outcome[] VALUES = values();

    static Outcome of(int ordinal) {
        return VALUES[ordinal];
    }

    public boolean isFailure() {
        return this != IN_FLIGHT && this != COMPLETED;
    }

    /** The failure reasons, in column order. */
    public static Outcome[] failures() {
        return new Outcome[] {EXCEEDS_CONTEXT, EXCEEDS_KV_CAPACITY, EXCEEDS_TOKEN_BUDGET, QUEUE_FULL, TIMEOUT};
    }
}
