package io.servesim.core.setup;

import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.memory.KvCacheSizing;

/**
 * Serving-engine limits shared by every replica, with vLLM's names and defaults close to vLLM's.
 *
 * @param maxNumSeqs          most sequences in a batch (default 256)
 * @param maxNumBatchedTokens token budget per iteration (default 8192)
 * @param chunkedPrefill      split prompts across iterations, decodes first (default false)
 * @param prefillChunkTokens  largest chunk of one prompt per iteration when chunking (default 4096)
 * @param maxQueueLength      waiting requests per replica before QUEUE_FULL (default unlimited)
 * @param queueTimeoutSeconds longest wait before first scheduling, TIMEOUT after (default none)
 * @param horizonSeconds      stop the run at this simulated time (default: when every request has ended)
 * @param fastForward         run decode iterations back to back between events (default true; false only
 *                            to check that it changes nothing)
 * @param prefixCaching       keep KV blocks' identity so later requests reuse a cached prefix (vLLM's automatic
 *                            prefix caching; default false)
 * @param mixedBatches        prefill chunks and decodes share an iteration (vLLM, TensorRT-LLM; default true); false:
 *                            an iteration that prefills runs without the decodes, and waiting prompts are prefilled
 *                            before decoding resumes (SGLang's default scheduler)
 * @param frontEndMs          time every request spends in the server's front end (HTTP, tokenization, the hand-off
 *                            to the engine) before it is routed and queued, ms; it delays the request and occupies
 *                            no GPU (default 0)
 */
public record EngineConfig(Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean chunkedPrefill,
                           Integer prefillChunkTokens, Integer maxQueueLength, Double queueTimeoutSeconds,
                           Double horizonSeconds, Boolean fastForward, Boolean prefixCaching, Boolean mixedBatches,
                           Double frontEndMs) {
    public EngineConfig {
        maxNumSeqs = maxNumSeqs == null ? 256 : maxNumSeqs;
        maxNumBatchedTokens = maxNumBatchedTokens == null ? 8192 : maxNumBatchedTokens;
        chunkedPrefill = chunkedPrefill != null && chunkedPrefill;
        prefillChunkTokens = prefillChunkTokens == null ? 4096 : prefillChunkTokens;
        maxQueueLength = maxQueueLength == null ? Integer.MAX_VALUE : maxQueueLength;
        queueTimeoutSeconds = queueTimeoutSeconds == null ? Double.POSITIVE_INFINITY : queueTimeoutSeconds;
        horizonSeconds = horizonSeconds == null ? Double.POSITIVE_INFINITY : horizonSeconds;
        fastForward = fastForward == null || fastForward;
        prefixCaching = prefixCaching != null && prefixCaching;
        mixedBatches = mixedBatches == null || mixedBatches;
        frontEndMs = frontEndMs == null ? 0.0 : frontEndMs;
        ConfigException.require(maxNumSeqs >= 1, "max_num_seqs", "must be >= 1", maxNumSeqs);
        ConfigException.require(maxNumBatchedTokens >= maxNumSeqs, "max_num_batched_tokens",
                "must be >= max_num_seqs (" + maxNumSeqs + ")", maxNumBatchedTokens);
        ConfigException.require(prefillChunkTokens >= 1, "prefill_chunk_tokens", "must be >= 1", prefillChunkTokens);
        ConfigException.require(maxQueueLength >= 1, "max_queue_length", "must be >= 1", maxQueueLength);
        ConfigException.require(queueTimeoutSeconds > 0, "queue_timeout_seconds", "must be > 0", queueTimeoutSeconds);
        ConfigException.require(horizonSeconds > 0, "horizon_seconds", "must be > 0", horizonSeconds);
        ConfigException.require(frontEndMs >= 0 && Double.isFinite(frontEndMs), "front_end_ms", "must be >= 0",
                frontEndMs);
    }

    /** Limits with no front-end time. */
    public EngineConfig(Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean chunkedPrefill,
                        Integer prefillChunkTokens, Integer maxQueueLength, Double queueTimeoutSeconds,
                        Double horizonSeconds, Boolean fastForward, Boolean prefixCaching, Boolean mixedBatches) {
        this(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, maxQueueLength, queueTimeoutSeconds,
                horizonSeconds, fastForward, prefixCaching, mixedBatches, null);
    }

    /** Limits with iterations that mix prefill chunks and decodes. */
    public EngineConfig(Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean chunkedPrefill,
                        Integer prefillChunkTokens, Integer maxQueueLength, Double queueTimeoutSeconds,
                        Double horizonSeconds, Boolean fastForward, Boolean prefixCaching) {
        this(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, maxQueueLength, queueTimeoutSeconds,
                horizonSeconds, fastForward, prefixCaching, null);
    }

    /** Limits without a prefix-caching setting (off). */
    public EngineConfig(Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean chunkedPrefill,
                        Integer prefillChunkTokens, Integer maxQueueLength, Double queueTimeoutSeconds,
                        Double horizonSeconds, Boolean fastForward) {
        this(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, maxQueueLength, queueTimeoutSeconds,
                horizonSeconds, fastForward, null);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public EngineConfig withPrefixCaching(boolean value) {
        return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, maxQueueLength,
                queueTimeoutSeconds, horizonSeconds, fastForward, value, mixedBatches, frontEndMs);
    }

    public EngineConfig withChunkedPrefill(boolean value) {
        return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, value, prefillChunkTokens, maxQueueLength,
                queueTimeoutSeconds, horizonSeconds, fastForward, prefixCaching, mixedBatches, frontEndMs);
    }

    public EngineConfig withFastForward(boolean value) {
        return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens, maxQueueLength,
                queueTimeoutSeconds, horizonSeconds, value, prefixCaching, mixedBatches, frontEndMs);
    }

    /** The limits of one replica with {@code kvBlocks} KV blocks serving a model with the given context window. */
    public ReplicaConfig replicaConfig(long kvBlocks, int maxContextTokens) {
        return new ReplicaConfig(maxNumSeqs, maxNumBatchedTokens, chunkedPrefill, prefillChunkTokens,
                (int) Math.min(Integer.MAX_VALUE, kvBlocks), KvCacheSizing.BLOCK_TOKENS, maxContextTokens,
                maxQueueLength, queueTimeoutSeconds, prefixCaching, mixedBatches);
    }

    public SimulationOptions simulationOptions() {
        return new SimulationOptions(horizonSeconds, fastForward, frontEndMs / 1e3);
    }
}
