package io.servesim.core.engine;

import io.servesim.core.memory.KvBlockManager;
import io.servesim.core.memory.PrefixChain;

import java.util.Arrays;

/**
 * The engine's side of its {@link KvBlockManager}: which blocks each sequence holds. A sequence holds its leading
 * {@code cachedBlocks[r]} blocks by identity (shared, hit or registered) and the rest anonymously. At admission the
 * leading full blocks of its prompt found in the cache are shared (at most up to the prompt's last token, which is
 * always computed, as in vLLM); its prompt's full blocks get their identity when its prefill completes; when it
 * completes or is preempted every full block it computed gets its identity (so a later turn of its session, or its
 * own readmission, finds them) and all its blocks are released. Keeps the pipeline's count of used blocks in step.
 */
final class KvCache {
    private final KvBlockManager blocks;
    private final RequestTable requests;
    private final Pipeline pipeline;
    private final int blockTokens;
    private final boolean caching;
    /** Block identities of the request an admission looks up, kept while it waits (it is looked up again and again). */
    private final Chain lookupChain = new Chain();
    /** Block identities of the request whose prefill completes or whose blocks are freed. */
    private final Chain workChain = new Chain();
    private final PrefixChains prefixes = new PrefixChains();
    /** Slots of the cached blocks the last admission lookup found (valid while {@link #version} is unchanged). */
    private int[] slots = new int[64];
    private int lastUsed;
    /** Bumped on every change; with the request and its length, keys the last admission lookup. */
    private long version;
    private int lookupRequest = -1;
    private long lookupVersion;
    private int lookupTarget;
    private int lookupHitBlocks;
    private int lookupNeed;

    KvCache(KvBlockManager blocks, RequestTable requests, Pipeline pipeline) {
        this.blocks = blocks;
        this.requests = requests;
        this.pipeline = pipeline;
        this.blockTokens = blocks.blockTokens();
        this.caching = blocks.prefixCaching();
    }

    KvBlockManager blocks() {
        return blocks;
    }

    /** Free blocks {@code request} would take if admitted now with {@code target} tokens to hold. */
    int blocksToAdmit(int request, int target) {
        int total = (target + blockTokens - 1) / blockTokens;
        if (!caching) {
            lookupHitBlocks = 0;
            return total;
        }
        if (lookupRequest == request && lookupVersion == version && lookupTarget == target) {
            return lookupNeed;
        }
        int full = (target - 1) / blockTokens;
        long[] chain = fill(lookupChain, request, full);
        if (slots.length < chain.length) {
            slots = new int[chain.length];
        }
        int hit = blocks.matchingBlocks(chain, full, slots);
        lookupRequest = request;
        lookupVersion = version;
        lookupTarget = target;
        lookupHitBlocks = hit;
        lookupNeed = total - hit + blocks.freeAmong(slots, hit);
        return lookupNeed;
    }

    /** Prompt tokens the last {@link #blocksToAdmit} found cached. */
    int hitTokens() {
        return lookupHitBlocks * blockTokens;
    }

    /** Admits {@code request} holding {@code target} tokens; returns the tokens found cached (not to compute). */
    int admit(int request, int target) {
        int total = (target + blockTokens - 1) / blockTokens;
        if (!caching) {
            blocks.allocate(total);
            sync();
            return 0;
        }
        blocksToAdmit(request, target);
        int hit = lookupHitBlocks;
        blocks.acquire(slots, hit);
        blocks.allocate(total - hit);
        blocks.countLookup(target, hit * blockTokens);
        requests.cachedBlocks[request] = hit;
        changed();
        return hit * blockTokens;
    }

    /**
     * Admits {@code request} holding {@code tokens} tokens whose KV arrives whole from elsewhere (a prefill replica):
     * anonymous blocks, none shared from the prefix cache.
     */
    void admitTransferred(int request, int tokens) {
        blocks.allocate((tokens + blockTokens - 1) / blockTokens);
        requests.cachedBlocks[request] = 0;
        changed();
    }

    /** The prompt of {@code request} is in the cache: its full blocks get their identity. */
    void prefillDone(int request) {
        if (!caching) {
            return;
        }
        int full = requests.prefillTarget[request] / blockTokens;
        int held = requests.cachedBlocks[request];
        if (full > held) {
            long[] chain = fill(workChain, request, full);
            blocks.register(chain, held, full);
            requests.cachedBlocks[request] = full;
            changed();
        }
    }

    /**
     * Releases the blocks of {@code request}, which holds {@code heldTokens} tokens' worth of blocks of which the first
     * {@code computedTokens} tokens are computed: those full blocks stay cached.
     */
    void free(int request, long heldTokens, long computedTokens) {
        int total = (int) ((heldTokens + blockTokens - 1) / blockTokens);
        if (!caching) {
            blocks.release(total);
            sync();
            return;
        }
        int held = requests.cachedBlocks[request];
        int full = Math.max(held, (int) (computedTokens / blockTokens));
        long[] chain = fill(workChain, request, full);
        blocks.register(chain, held, full);
        blocks.releaseChain(chain, full);
        blocks.release(total - full);
        requests.cachedBlocks[request] = 0;
        changed();
    }

    /** Takes {@code n} anonymous blocks (decode growth). */
    void allocate(int n) {
        if (n != 0) {
            blocks.allocate(n);
            changed();
        }
    }

    private void changed() {
        version++;
        sync();
    }

    private void sync() {
        if (pipeline != null) {
            int used = blocks.usedBlocks();
            pipeline.addUsedKvBlocks(used - lastUsed);
            lastUsed = used;
        }
    }

    /** The identities of the first {@code length} blocks of {@code request}, computed into {@code c} unless there. */
    private long[] fill(Chain c, int request, int length) {
        if (c.owner == request && c.length >= length) {
            return c.ids;
        }
        if (length > c.ids.length) {
            c.ids = Arrays.copyOf(c.ids, Math.max(length, c.ids.length * 2));
        }
        long session = requests.sessionId(request);
        long prefix = requests.prefixId(request);
        int prefixTokens = requests.prefixTokens(request);
        int shared = prefix < 0 ? 0 : Math.min(length, prefixTokens / blockTokens);
        long h = prefixes.copy(prefix, shared, blockTokens, c.ids);
        PrefixChain.fill(c.ids, shared, length, blockTokens, h, prefixTokens, session >= 0 ? session : -2L - request);
        c.owner = request;
        c.length = length;
        return c.ids;
    }

    /**
     * The identities of shared prefixes' blocks, which depend on the prefix alone: most prompts of a shared-prefix
     * workload start with one of a few prefixes, whose chains are copied instead of hashed again. Direct-mapped by
     * prefix id; a collision recomputes.
     */
    private static final class PrefixChains {
        private static final int SLOTS = 256;
        private final long[] ids = new long[SLOTS];
        private final long[][] chains = new long[SLOTS][];

        PrefixChains() {
            Arrays.fill(ids, Long.MIN_VALUE);
        }

        /** Writes the first {@code blocks} identities of prefix {@code prefix} into {@code out}; returns the last (or the start). */
        long copy(long prefix, int blocks, int blockTokens, long[] out) {
            if (blocks == 0) {
                return PrefixChain.start(prefix);
            }
            int slot = (int) (prefix & (SLOTS - 1));
            long[] chain = chains[slot];
            if (ids[slot] != prefix || chain.length < blocks) {
                if (chain == null || chain.length < blocks) {
                    chain = new long[Math.max(blocks, chain == null ? 0 : 2 * chain.length)];
                    chains[slot] = chain;
                }
                // every block here lies inside the prefix, which is all the chain depends on
                PrefixChain.fill(chain, 0, chain.length, blockTokens, PrefixChain.start(prefix),
                        chain.length * blockTokens, 0);
                ids[slot] = prefix;
            }
            System.arraycopy(chain, 0, out, 0, blocks);
            return chain[blocks - 1];
        }
    }

    /** A buffer of block identities and whose they are. */
    private static final class Chain {
        long[] ids = new long[64];
        int owner = -1;
        int length;
    }
}
