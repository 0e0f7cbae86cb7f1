package io.servesim.core.model;

/**
 * The shape of one iteration's batch, as the step-time model needs it: a few sums, no per-sequence
 * objects. Mutable and reused by its owner so the hot loop allocates nothing.
 *
 * <ul>
 *   <li>{@code prefillTokens}: prompt tokens processed this iteration (sum of chunk sizes c_i);</li>
 *   <li>{@code prefillAttentionPairs}: sum over chunks of c_i · (p_i + (c_i + 1) / 2), the number of
 *       (query, key) pairs under a causal mask, where p_i is the context already cached before the chunk;</li>
 *   <li>{@code prefillContextTokens}: sum over chunks of p_i (cached context re-read by later chunks);</li>
 *   <li>{@code decodeSequences}: sequences generating one token each this iteration;</li>
 *   <li>{@code decodeContextTokens}: sum of those sequences' context lengths (KV entries read).</li>
 * </ul>
 */
public final class BatchShape {
    public long prefillTokens;
    public double prefillAttentionPairs;
    public long prefillContextTokens;
    public int prefillSequences;
    public int decodeSequences;
    public long decodeContextTokens;

    public BatchShape clear() {
        prefillTokens = 0;
        prefillAttentionPairs = 0;
        prefillContextTokens = 0;
        prefillSequences = 0;
        decodeSequences = 0;
        decodeContextTokens = 0;
        return this;
    }

    /** Adds a prefill chunk of {@code chunkTokens} tokens after {@code cachedTokens} already in the cache. */
    public BatchShape addPrefillChunk(int chunkTokens, int cachedTokens) {
        prefillTokens += chunkTokens;
        prefillAttentionPairs += chunkTokens * (cachedTokens + (chunkTokens + 1) / 2.0);
        prefillContextTokens += cachedTokens;
        prefillSequences++;
        return this;
    }

    /** Sets the decode part: {@code sequences} sequences whose contexts sum to {@code contextTokens}. */
    public BatchShape setDecode(int sequences, long contextTokens) {
        decodeSequences = sequences;
        decodeContextTokens = contextTokens;
        return this;
    }

    /** Tokens that pass through the linear layers this iteration. */
    public long totalTokens() {
        return prefillTokens + decodeSequences;
    }

    public boolean isEmpty() {
        return prefillTokens == 0 && decodeSequences == 0;
    }
}
