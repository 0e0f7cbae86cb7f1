package io.servesim.core.memory;

import java.util.Arrays;

/**
 * The paged KV cache of one engine, with block identity for automatic prefix caching (vLLM's semantics).
 *
 * <p>Rules:
 * <ol>
 *   <li>The cache has {@code totalBlocks} blocks of {@code blockTokens} tokens. A block is <em>used</em> while some
 *       sequence references it, <em>free</em> otherwise; {@link #freeBlocks} counts every free block, cached or empty.</li>
 *   <li>A full block of a sequence has an identity: the hash chain h_i = mix(h_{i−1}, owner of block i), where the
 *       owner is the shared prefix for blocks inside it and the session (or the request alone) after it
 *       ({@link PrefixChain}). Equal chains mean equal tokens, so equal KV.</li>
 *   <li>Only full blocks are cached and hit; a partial last block is private to its sequence.</li>
 *   <li>A block with an identity has a reference count; when it drops to 0 the block stays cached and joins the
 *       tail of the free list (most recently used last).</li>
 *   <li>Taking new blocks uses empty free blocks first; when none is left, the cached free block at the head of the
 *       list — the least recently used — is evicted (its identity forgotten) and reused.</li>
 *   <li>A hit on a cached free block takes it off the free list (reference count 0 → 1); a hit on a block in use
 *       shares it (count + 1). A block registered with an identity the cache already holds is a duplicate: the
 *       sequence drops its copy and shares the cached one.</li>
 * </ol>
 * Without prefix caching the manager only counts blocks (no identity, no hashing: the engine's fast path).
 *
 * <p>How (no object per block): a block with identity lives in a slot of primitive arrays (identity, reference
 * count); an open-addressing {@code BlockIndex} maps identities to slots; the free list's LRU order is an
 * {@link LruQueue} of slots. Callers keep the slots of the blocks a sequence holds and release by slot; a lookup of a
 * shared prefix may pass the slots where its blocks were found before ({@link #matchingBlocks(long[], int, int[],
 * int[], int)}); blocks no lookup can name stay out of the index ({@link #registerUnlisted}). None of this changes
 * which blocks hit or are evicted.
 *
 * <p>Counters: lookups and hit tokens, hits (lookups with at least one block found), evictions.
 */
public final class KvBlockManager {
    private final int totalBlocks;
    private final int blockTokens;
    private final boolean prefixCaching;
    private int free;

    // ---- blocks with identity (prefix caching only), slots 0 … totalBlocks−1 ----
    private final long[] hashOf;
    /** Whether the slot holds a block whose identity is in {@link #index} (see {@link #registerUnlisted}). */
    private final boolean[] listed;
    private final int[] refs;
    /** Cached free blocks, least recently used first. */
    private final LruQueue lru;
    private final int[] freeSlots;
    private int freeSlotCount;
    private final BlockIndex index;

    // ---- counters ----
    private long lookups;
    private long lookupHits;
    private long lookupTokens;
    private long hitTokens;
    private long evictions;

    public KvBlockManager(int totalBlocks, int blockTokens, boolean prefixCaching) {
        if (totalBlocks < 1 || blockTokens < 1) {
            throw new IllegalArgumentException("a KV cache needs blocks and tokens per block, got " + totalBlocks
                    + " blocks of " + blockTokens);
        }
        this.totalBlocks = totalBlocks;
        this.blockTokens = blockTokens;
        this.prefixCaching = prefixCaching;
        this.free = totalBlocks;
        int slots = prefixCaching ? totalBlocks : 0;
        this.hashOf = new long[slots];
        this.listed = new boolean[slots];
        this.refs = new int[slots];
        this.lru = new LruQueue(slots);
        this.freeSlots = new int[slots];
        for (int i = 0; i < slots; i++) {
            freeSlots[i] = slots - 1 - i;
        }
        this.freeSlotCount = slots;
        this.index = prefixCaching ? new BlockIndex(totalBlocks) : null;
    }

    public boolean prefixCaching() {
        return prefixCaching;
    }

    public int totalBlocks() {
        return totalBlocks;
    }

    public int blockTokens() {
        return blockTokens;
    }

    /** Blocks no sequence uses: empty ones and cached ones that may be evicted. */
    public int freeBlocks() {
        return free;
    }

    public int usedBlocks() {
        return totalBlocks - free;
    }

    /** Blocks with an identity (in use or cached free). */
    public int cachedBlocks() {
        return totalBlocks - freeSlotCount;
    }

    /** Cached blocks nobody uses: evictable, in LRU order. */
    public int cachedFreeBlocks() {
        return lru.size();
    }

    /** Takes {@code n} anonymous blocks, evicting least recently used cached blocks when no empty one is left. */
    public void allocate(int n) {
        if (n > free) {
            throw new IllegalStateException("allocating " + n + " KV blocks with " + free + " free");
        }
        free -= n;
        while (lru.size() > free) {
            evictOldest();
        }
    }

    /** Returns {@code n} anonymous blocks. */
    public void release(int n) {
        free += n;
        if (free > totalBlocks) {
            throw new IllegalStateException("released more KV blocks than were taken");
        }
    }

    /**
     * Leading blocks of {@code chain[0 … n)} that are cached now (no side effects); their slots go to
     * {@code slots[0 …)}, for {@link #freeAmong} and {@link #acquire} while the cache does not change.
     */
    public int matchingBlocks(long[] chain, int n, int[] slots) {
        return matchingBlocks(chain, n, slots, null, 0);
    }

    /**
     * {@link #matchingBlocks(long[], int, int[])} with {@code hints[0 … hinted)}: the slots where the caller found
     * blocks 0 … hinted−1 before (−1 where it does not know). A hint that still holds its block is taken without
     * probing the index; another is replaced by the slot the index gives. Lookups of a chain that many sequences
     * share (a system prompt) then mostly read their hints.
     */
    public int matchingBlocks(long[] chain, int n, int[] slots, int[] hints, int hinted) {
        int i = 0;
        while (i < n) {
            long h = chain[i];
            int b = i < hinted ? hints[i] : -1;
            if (b < 0 || !listed[b] || hashOf[b] != h) {
                b = index.get(h);
                if (b < 0) {
                    break;
                }
                if (i < hinted) {
                    hints[i] = b;
                }
            }
            slots[i++] = b;
        }
        return i;
    }

    /** Of the first {@code n} {@code slots} {@link #matchingBlocks} found, how many are free (they leave the free list when hit). */
    public int freeAmong(int[] slots, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (refs[slots[i]] == 0) {
                count++;
            }
        }
        return count;
    }

    /** Counts a lookup of {@code tokens} prompt tokens of which {@code hitTokens} were found cached. */
    public void countLookup(int tokens, int hit) {
        lookups++;
        lookupTokens += tokens;
        hitTokens += hit;
        if (hit > 0) {
            lookupHits++;
        }
    }

    /** Shares the first {@code n} of the {@code slots} {@link #matchingBlocks} found, with the cache unchanged since. */
    public void acquire(int[] slots, int n) {
        for (int i = 0; i < n; i++) {
            int b = slots[i];
            if (refs[b] == 0) {
                lru.remove(b);
                free--;
            }
            refs[b]++;
        }
    }

    /**
     * Gives blocks {@code from … to−1} of {@code chain}, which the caller holds as anonymous blocks (and holds
     * blocks 0 … from−1 by identity), their identity; a duplicate of a cached block is dropped for the cached one.
     * The slot of each block goes to {@code slots[from … to)}: the caller releases the blocks by these slots.
     */
    public void register(long[] chain, int from, int to, int[] slots) {
        for (int i = from; i < to; i++) {
            long h = chain[i];
            int empty = freeSlots[freeSlotCount - 1];
            int b = index.putIfAbsent(h, empty);
            if (b >= 0) {
                if (refs[b] == 0) {
                    lru.remove(b);
                    free--;
                }
                refs[b]++;
                free++;
            } else {
                b = empty;
                freeSlotCount--;
                hashOf[b] = h;
                listed[b] = true;
                refs[b] = 1;
            }
            slots[i] = b;
        }
    }

    /**
     * {@link #register} for blocks no lookup can ask for: blocks of tokens private to one sequence (no other sequence
     * has them) that the sequence will not look up before {@link #list} enters them, and of which no copy is cached.
     * They are cached, counted, shared by nobody and evicted like any other block; only the index does not name them,
     * which saves entering and removing them when the sequence completes and never asks again.
     */
    public void registerUnlisted(long[] chain, int from, int to, int[] slots) {
        for (int i = from; i < to; i++) {
            int b = freeSlots[--freeSlotCount];
            hashOf[b] = chain[i];
            listed[b] = false;
            refs[b] = 1;
            slots[i] = b;
        }
    }

    /** Enters the blocks among {@code slots[0 … n)} that {@link #registerUnlisted} gave an identity in the index. */
    public void list(int[] slots, int n) {
        for (int i = 0; i < n; i++) {
            int b = slots[i];
            if (!listed[b]) {
                index.putIfAbsent(hashOf[b], b);
                listed[b] = true;
            }
        }
    }

    /** The identity of the cached block in {@code slot} (one of the slots {@link #matchingBlocks} or {@link #register} gave). */
    public long identity(int slot) {
        return hashOf[slot];
    }

    /**
     * Stops using the blocks in {@code slots[0 … n)} (held by identity, as {@link #matchingBlocks} and
     * {@link #register} gave them, in block order); unused ones stay cached, the later blocks more recently used.
     */
    public void releaseBlocks(int[] slots, int n) {
        for (int i = 0; i < n; i++) {
            int b = slots[i];
            if (--refs[b] == 0) {
                lru.add(b);
                free++;
            }
        }
    }

    private void evictOldest() {
        int b = lru.poll();
        if (listed[b]) {
            index.remove(hashOf[b]);
            listed[b] = false;
        }
        freeSlots[freeSlotCount++] = b;
        evictions++;
    }

    /** Prompt lookups (admissions, including readmissions after a preemption). */
    public long lookups() {
        return lookups;
    }

    /** Lookups that found at least one cached block. */
    public long lookupHits() {
        return lookupHits;
    }

    /** Σ prompt tokens looked up. */
    public long lookupTokens() {
        return lookupTokens;
    }

    /** Σ prompt tokens found cached (not computed). */
    public long hitTokens() {
        return hitTokens;
    }

    public long evictions() {
        return evictions;
    }

    /** Open-addressing map from block hash to slot (linear probing, backward-shift deletion); no boxing. */
    private static final class BlockIndex {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        /** At least 4 slots per block (load ≤ 1/4 when every block is cached), keeping probe runs short. */
        BlockIndex(int blocks) {
            int capacity = Integer.highestOneBit(Math.max(4, blocks) * 4 - 1) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            Arrays.fill(values, -1);
            mask = capacity - 1;
        }

        private int home(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        int get(long key) {
            int i = home(key);
            while (values[i] >= 0) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        /** Maps {@code key} to {@code value} unless it is mapped already; returns the value it had, or −1. */
        int putIfAbsent(long key, int value) {
            int i = home(key);
            while (values[i] >= 0) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
            return -1;
        }

        void remove(long key) {
            int i = home(key);
            while (keys[i] != key || values[i] < 0) {
                i = (i + 1) & mask;
            }
            values[i] = -1;
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (values[j] < 0) {
                    return;
                }
                int k = home(keys[j]);
                // keys[j] may move to i if its home is not cyclically in (i, j]
                if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
                    keys[i] = keys[j];
                    values[i] = values[j];
                    values[j] = -1;
                    i = j;
                }
            }
        }
    }
}
