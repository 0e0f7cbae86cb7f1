package io.servesim.core.engine;

/**
 * What an engine holds, as routers and schedulers count it: requests waiting for a batch, and requests routed to it
 * and not finished (waiting, running, or with their KV on the way to a decode engine) with their total tokens
 * (prompt + output).
 */
final class EngineLoad {
    private final RequestTable requests;
    int waiting;
    int outstandingRequests;
    long outstandingTokens;

    EngineLoad(RequestTable requests) {
        this.requests = requests;
    }

    /** {@code r} is now the engine's to serve. */
    void take(int r) {
        outstandingRequests++;
        outstandingTokens += tokens(r);
    }

    /** {@code r} finished here or left for another engine. */
    void release(int r) {
        outstandingRequests--;
        outstandingTokens -= tokens(r);
    }

    private long tokens(int r) {
        return requests.promptTokens(r) + (long) requests.outputTokens(r);
    }
}
