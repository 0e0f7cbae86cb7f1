package io.servesim.core.workload;

/**
 * One request as the workload produces it.
 *
 * <p>Its prompt's token identity, for prefix caching: the first {@code prefixTokens} tokens are the shared prefix
 * {@code prefixId} (e.g. a system prompt many users send); the tokens after them belong to the session
 * {@code sessionId} (a later turn's prompt holds the earlier turns and answers, so consecutive turns share them), or
 * to this request alone when it has no session. Two requests share the KV of a leading block exactly when both
 * identities up to the end of that block agree.
 *
 * @param id            dense index 0, 1, 2, … in arrival order
 * @param arrivalTime   seconds since the start of the run, never decreasing with id
 * @param promptTokens  tokens of the prompt (for a later turn of a conversation: the whole history)
 * @param outputTokens  tokens the model will generate (≥ 1)
 * @param profile       index into {@link WorkloadSource#profiles()}
 * @param sessionId     conversation id, or -1 for a single-turn request
 * @param turn          0-based turn within the session (0 for single-turn requests)
 * @param prefixId      identity of the shared prefix, or -1 for none
 * @param prefixTokens  length of the shared prefix (0 when {@code prefixId} is -1; at most the prompt)
 */
public record RequestSpec(long id, double arrivalTime, int promptTokens, int outputTokens,
                          int profile, long sessionId, int turn, long prefixId, int prefixTokens) {
    public RequestSpec {
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens must be >= 1, got " + promptTokens);
        }
        if (outputTokens < 1) {
            throw new IllegalArgumentException("outputTokens must be >= 1, got " + outputTokens);
        }
        if (!(arrivalTime >= 0)) {
            throw new IllegalArgumentException("arrivalTime must be >= 0, got " + arrivalTime);
        }
        if (prefixId < 0 ? prefixTokens != 0 : prefixTokens < 0 || prefixTokens > promptTokens) {
            throw new IllegalArgumentException("prefixTokens must be 0 without a prefix and within the prompt ("
                    + promptTokens + ") with one, got " + prefixTokens);
        }
    }

    /** A request without a shared prefix. */
    public RequestSpec(long id, double arrivalTime, int promptTokens, int outputTokens, int profile, long sessionId,
                       int turn) {
        this(id, arrivalTime, promptTokens, outputTokens, profile, sessionId, turn, -1, 0);
    }
}
