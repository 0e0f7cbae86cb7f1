package io.servesim.core.sched;

/** What a scheduler or router may read about a request (and the one number it may keep for it). */
public interface RequestView {
    double arrivalTime(int request);

    int promptTokens(int request);

    int outputTokens(int request);

    /** Index of the request's client profile. */
    int profile(int request);

    /** Session of a multi-turn conversation, or a negative number for a request without one. */
    long sessionId(int request);

    /** Identity of the request's shared prefix (e.g. its system prompt), or a negative number for none. */
    long prefixId(int request);

    /** Length of the shared prefix {@link #prefixId} names (0 without one). */
    int prefixTokens(int request);

    /** Time the request first entered a batch; NaN if never. */
    double firstScheduledTime(int request);

    /** Output tokens generated so far (exact for waiting, prefilling and finished requests). */
    int generatedTokens(int request);

    /** A number the scheduler of the request's replica keeps for it while it is there; 0 until set. */
    int schedulerNote(int request);

    void setSchedulerNote(int request, int value);
}
