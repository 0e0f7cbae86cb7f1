package io.servesim.core.engine;

/**
 * The iteration, or run of decode iterations, an engine has in flight, projected to its end: what the engine
 * commits when the end's event comes. Mutable and reused.
 */
final class Projection {
    /** Iterations from the last commit to the projected end. */
    int iterations;
    /** The boundary the first of them started at (the last commit, or the boundary that formed it). */
    double startTime;
    double endTime;
    /** Busy seconds, communication seconds and KV block-seconds of the engine including the projected part. */
    double busySeconds;
    /** The part of {@link #busySeconds} in iterations that compute prefill tokens (prefill or mixed). */
    double prefillBusySeconds;
    double communicationSeconds;
    double kvBlockSeconds;
    /** Model FLOPs and HBM bytes of the engine's iterations including the projected part (0 when the model does not count them). */
    double flops;
    double hbmBytes;
    /** Free KV blocks at the end, and the most used during it. */
    int freeBlocks;
    int peakUsedBlocks;
    /** Duration of the last iteration (for schedulers' feedback). */
    double lastIterationSeconds;
    /** For an analytic run: iterations of the run, from its start, at the projected end. */
    long runIterations;
}
