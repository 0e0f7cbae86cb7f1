package io.servesim.core.sched;

/**
 * The serving limits a replica's scheduler works under (vLLM's names where they exist). The engine's
 * {@code ReplicaConfig} is the record that carries them.
 */
public interface ServingLimits {
    /** Most sequences in a batch. */
    int maxNumSeqs();

    /** Token budget of one iteration (decodes count one token each). */
    int maxNumBatchedTokens();

    /** Whether a prompt may be split across iterations. */
    boolean chunkedPrefill();

    /** Largest prefill chunk per sequence per iteration when chunking. */
    int prefillChunkTokens();

    /** KV-cache blocks of the replica. */
    int kvBlocks();

    /** Tokens per KV block. */
    int blockTokens();

    /** Blocks needed to hold {@code tokens} tokens. */
    default int blocksFor(long tokens) {
        return (int) ((tokens + blockTokens() - 1) / blockTokens());
    }
}
