package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.ServingLimits;

/**
 * The serving limits of one replica (vLLM's names where they exist).
 *
 * @param maxNumSeqs          most sequences in a batch
 * @param maxNumBatchedTokens token budget of one iteration (decodes count one token each)
 * @param chunkedPrefill      whether a prompt may be split across iterations (Sarathi-style, decodes first)
 * @param prefillChunkTokens  largest prefill chunk per sequence per iteration when chunking
 * @param kvBlocks            KV-cache blocks of the replica
 * @param blockTokens         tokens per KV block (16)
 * @param maxContextTokens    the model's context window (prompt + output)
 * @param maxQueueLength      waiting requests a replica holds before it rejects with QUEUE_FULL
 * @param queueTimeoutSeconds longest wait before first scheduling; +∞ for none
 * @param prefixCaching       whether KV blocks keep their identity for reuse by later requests (vLLM's automatic
 *                            prefix caching)
 * @param mixedBatches        whether prefill chunks and decodes share an iteration (vLLM); false: an iteration that
 *                            prefills runs without the decodes, which wait until no prompt is left to prefill (SGLang)
 */
public record ReplicaConfig(int maxNumSeqs, int maxNumBatchedTokens, boolean chunkedPrefill, int prefillChunkTokens,
                            int kvBlocks, int blockTokens, int maxContextTokens, int maxQueueLength,
                            double queueTimeoutSeconds, boolean prefixCaching, boolean mixedBatches)
        implements ServingLimits {
    public ReplicaConfig {
        ConfigException.require(maxNumSeqs >= 1, "max_num_seqs", "must be >= 1", maxNumSeqs);
        ConfigException.require(maxNumBatchedTokens >= maxNumSeqs, "max_num_batched_tokens",
                "must be >= max_num_seqs (" + maxNumSeqs + ")", maxNumBatchedTokens);
        ConfigException.require(prefillChunkTokens >= 1, "prefill_chunk_tokens", "must be >= 1", prefillChunkTokens);
        ConfigException.require(kvBlocks >= 1, "kv_blocks", "must be >= 1 (the model leaves no memory for the KV cache)",
                kvBlocks);
        ConfigException.require(blockTokens >= 1, "block_tokens", "must be >= 1", blockTokens);
        ConfigException.require(maxContextTokens >= 2, "max_context_tokens", "must be >= 2", maxContextTokens);
        ConfigException.require(maxQueueLength >= 1, "max_queue_length", "must be >= 1", maxQueueLength);
        ConfigException.require(queueTimeoutSeconds > 0, "queue_timeout_seconds", "must be > 0", queueTimeoutSeconds);
    }

    /** Limits whose iterations mix prefill chunks and decodes. */
    public ReplicaConfig(int maxNumSeqs, int maxNumBatchedTokens, boolean chunkedPrefill, int prefillChunkTokens,
                         int kvBlocks, int blockTokens, int maxContextTokens, int maxQueueLength,
                         double queueTimeoutSeconds, boolean prefixCaching) {
        this(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, kvBlocks, blockTokens,
                maxContextTokens, maxQueueLength, queueTimeoutSeconds, prefixCaching, true);
    }

    /** Limits without prefix caching. */
    public ReplicaConfig(int maxNumSeqs, int maxNumBatchedTokens, boolean chunkedPrefill, int prefillChunkTokens,
                         int kvBlocks, int blockTokens, int maxContextTokens, int maxQueueLength,
                         double queueTimeoutSeconds) {
        this(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, kvBlocks, blockTokens,
                maxContextTokens, maxQueueLength, queueTimeoutSeconds, false);
    }

    /** The same limits with {@code blocks} KV blocks. */
    public ReplicaConfig withKvBlocks(int blocks) {
        return new ReplicaConfig(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, blocks,
                blockTokens, maxContextTokens, maxQueueLength, queueTimeoutSeconds, prefixCaching, mixedBatches);
    }

    /** The same limits with prefix caching on or off. */
    public ReplicaConfig withPrefixCaching(boolean enabled) {
        return new ReplicaConfig(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, kvBlocks,
                blockTokens, maxContextTokens, maxQueueLength, queueTimeoutSeconds, enabled, mixedBatches);
    }

    /**
     * Why a request of {@code promptTokens} and {@code totalTokens} (prompt + output) cannot join a replica with
     * {@code waiting} requests queued, or null if it can: longer than the context window, larger than the whole KV
     * cache, a prompt over the token budget without chunked prefill, or a full queue.
     */
    public Outcome rejection(int promptTokens, long totalTokens, int waiting) {
        return totalTokens > maxContextTokens ? Outcome.EXCEEDS_CONTEXT
                : blocksFor(totalTokens) > kvBlocks ? Outcome.EXCEEDS_KV_CAPACITY
                : !chunkedPrefill && promptTokens > maxNumBatchedTokens ? Outcome.EXCEEDS_TOKEN_BUDGET
                : waiting >= maxQueueLength ? Outcome.QUEUE_FULL
                : null;
    }

    /** Blocks needed to hold {@code tokens} tokens. */
    @Override
    public int blocksFor(long tokens) {
        return (int) ((tokens + blockTokens - 1) / blockTokens);
    }
}
