package io.servesim.core.memory;

/**
 * Block identities of a token sequence as a hash chain: h_i = mix(h_{i−1}, owner of block i), where the owner is the
 * shared prefix while the block lies inside it and the sequence's own key (its session, or the request) after it.
 * Two sequences get the same h_i exactly when their first i + 1 blocks have the same owners, i.e. the same tokens
 * (splitmix64 mixing; 64-bit collisions are ignored).
 */
public final class PrefixChain {
    private PrefixChain() {
    }

    /**
     * Writes the identities of the first {@code blocks} full blocks into {@code out}.
     *
     * @param prefixId     the shared prefix's identity (negative: none)
     * @param prefixTokens its length in tokens
     * @param ownKey       identity of the tokens after the prefix (the session, or something unique to the request)
     */
    public static void fill(long[] out, int blocks, int blockTokens, long prefixId, int prefixTokens, long ownKey) {
        fill(out, 0, blocks, blockTokens, start(prefixId), prefixTokens, ownKey);
    }

    /** The identity before the first block of a sequence with shared prefix {@code prefixId}. */
    public static long start(long prefixId) {
        return mix(0x5E55_1D00L ^ prefixId);
    }

    /**
     * Continues a chain: writes the identities of blocks {@code from … blocks−1} into {@code out}, where {@code h} is
     * the identity of block {@code from − 1} ({@link #start} when {@code from} is 0). The identities of blocks inside
     * the prefix depend on the prefix alone, so a caller may keep them and continue from there.
     */
    public static void fill(long[] out, int from, int blocks, int blockTokens, long h, int prefixTokens, long ownKey) {
        long own = mix(ownKey ^ 0x0DDB_A11L);
        for (int i = from; i < blocks; i++) {
            boolean inPrefix = (long) (i + 1) * blockTokens <= prefixTokens;
            h = mix(h + (inPrefix ? 0x9E3779B97F4A7C15L : own));
            out[i] = h;
        }
    }

    /** The splitmix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
