package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;

/**
 * One batch limit of the search space: vLLM's {@code max_num_seqs} and {@code max_num_batched_tokens}, written
 * {@code SEQS:TOKENS} on the command line (e.g. {@code 256:8192}).
 *
 * @param maxNumSeqs          most sequences in an iteration, ≥ 1
 * @param maxNumBatchedTokens token budget of an iteration, ≥ maxNumSeqs
 */
public record BatchLimit(int maxNumSeqs, int maxNumBatchedTokens) {
    public BatchLimit {
        ConfigException.require(maxNumSeqs >= 1, "batch-limits", "max_num_seqs must be >= 1", maxNumSeqs);
        ConfigException.require(maxNumBatchedTokens >= maxNumSeqs, "batch-limits",
                "max_num_batched_tokens must be >= max_num_seqs (" + maxNumSeqs + ")", maxNumBatchedTokens);
    }

    /** Parses {@code SEQS:TOKENS}. */
    public static BatchLimit parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            if (parts.length == 2) {
                return new BatchLimit(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new ConfigException("batch-limits: '" + text + "' is not SEQS:TOKENS (max_num_seqs:max_num_batched_tokens),"
                + " e.g. 256:8192");
    }

    @Override
    public String toString() {
        return maxNumSeqs + ":" + maxNumBatchedTokens;
    }
}
