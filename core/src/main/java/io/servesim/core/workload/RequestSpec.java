package io.servesim.core.workload;

/**
 * One request as the workload produces it.
 *
 * @param id            dense index 0, 1, 2, … in arrival order
 * @param arrivalTime   seconds since the start of the run, never decreasing with id
 * @param promptTokens  tokens of the prompt (for a later turn of a conversation: the whole history)
 * @param outputTokens  tokens the model will generate (≥ 1)
 * @param profile       index into {@link WorkloadSource#profiles()}
 * @param sessionId     conversation id, or -1 for a single-turn request
 * @param turn          0-based turn within the session (0 for single-turn requests)
 */
public record RequestSpec(long id, double arrivalTime, int promptTokens, int outputTokens,
                          int profile, long sessionId, int turn) {
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
    }
}
