package io.servesim.core.engine;

import io.servesim.core.memory.KvBlockManager;
import io.servesim.core.memory.PrefixChain;

import java.util.Arrays;

/**
 * The engine's side of its {@link KvBlockManager}: which blocks each sequence holds. A sequence holds its leading
 * blocks by identity (shared, hit or registered; their slots in a list of its own, {@link HeldSlots}) and the rest
 * anonymously. At admission the
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
    private long[] workChain = new long[64];
    /** The slots each sequence holds by identity; the request table names its list. */
    private final HeldSlots held = new HeldSlots();
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
        long[] chain = lookupChain(request, full);
        if (slots.length < chain.length) {
            slots = new int[chain.length];
        }
        long prefix = requests.prefixId(request);
        int shared = sharedBlocks(prefix, requests.prefixTokens(request), full);
        int hit = blocks.matchingBlocks(chain, full, slots, prefixes.hints(prefix, shared, blockTokens), shared);
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
        int list = held.open(hit);
        System.arraycopy(slots, 0, held.slots(list), 0, hit);
        requests.heldSlots[request] = list;
        changed();
        return hit * blockTokens;
    }

    /**
     * Admits {@code request} holding {@code tokens} tokens whose KV arrives whole from elsewhere (a prefill replica):
     * anonymous blocks, none shared from the prefix cache.
     */
    void admitTransferred(int request, int tokens) {
        blocks.allocate((tokens + blockTokens - 1) / blockTokens);
        if (caching) {
            requests.heldSlots[request] = held.open(0);
        }
        changed();
    }

    /** The prompt of {@code request} is in the cache: its full blocks get their identity. */
    void prefillDone(int request) {
        if (!caching) {
            return;
        }
        int full = requests.prefillTarget[request] / blockTokens;
        if (full > held.count(requests.heldSlots[request])) {
            register(request, full);
            changed();
        }
    }

    /**
     * Releases the blocks of {@code request}, which holds {@code heldTokens} tokens' worth of blocks of which the first
     * {@code computedTokens} tokens are computed: those full blocks stay cached. The request leaves this engine for
     * good (it completed or was handed off): it will not look its own blocks up here again.
     */
    void free(int request, long heldTokens, long computedTokens) {
        release(request, heldTokens, computedTokens, false);
    }

    /**
     * {@link #free} for a preempted request, which comes back and looks its computed blocks up: all of them become
     * findable, its private ones too.
     */
    void preempt(int request, long heldTokens, long computedTokens) {
        release(request, heldTokens, computedTokens, true);
    }

    private void release(int request, long heldTokens, long computedTokens, boolean returns) {
        int total = (int) ((heldTokens + blockTokens - 1) / blockTokens);
        if (!caching) {
            blocks.release(total);
            sync();
            return;
        }
        int list = requests.heldSlots[request];
        int full = Math.max(held.count(list), (int) (computedTokens / blockTokens));
        register(request, full);
        if (returns) {
            blocks.list(held.slots(list), full);
        }
        blocks.releaseBlocks(held.slots(list), full);
        blocks.release(total - full);
        held.close(list);
        requests.heldSlots[request] = HeldSlots.NONE;
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

    /**
     * Gives the full blocks of {@code request} after those it holds by identity, up to {@code full}, their identity
     * (continuing the chain from the identity of its last held block) and appends their slots to its list. The blocks
     * after the shared prefix of a request without a session hold tokens no other request has; unless the request was
     * preempted before (and may have cached copies of them), they stay out of the block index until a preemption
     * lists them ({@link KvBlockManager#registerUnlisted}): only the request itself could look them up, and only
     * after a preemption.
     */
    private void register(int request, int full) {
        int list = requests.heldSlots[request];
        int from = held.count(list);
        if (full <= from) {
            return;
        }
        if (full > workChain.length) {
            workChain = new long[Math.max(full, workChain.length * 2)];
        }
        int[] own = held.grow(list, full);
        int prefixTokens = requests.prefixTokens(request);
        if (from == 0) {
            identities(workChain, request, full);
        } else {
            PrefixChain.fill(workChain, from, full, blockTokens, blocks.identity(own[from - 1]), prefixTokens,
                    ownKey(request));
        }
        boolean isPrivate = requests.sessionId(request) < 0 && requests.preemptions(request) == 0;
        // the blocks inside the shared prefix: i < prefixTokens / blockTokens (PrefixChain's rule)
        int privateFrom = isPrivate ? Math.max(from, Math.min(full, prefixTokens / blockTokens)) : full;
        blocks.register(workChain, from, privateFrom, own);
        blocks.registerUnlisted(workChain, privateFrom, full, own);
        held.setCount(list, full);
    }

    /** Identity of the tokens of {@code request} after its shared prefix: its session's, or its own. */
    private long ownKey(int request) {
        long session = requests.sessionId(request);
        return session >= 0 ? session : -2L - request;
    }

    /** The identities of the first {@code length} blocks of the request an admission looks up (kept while it waits). */
    private long[] lookupChain(int request, int length) {
        Chain c = lookupChain;
        if (c.owner == request && c.length >= length) {
            return c.ids;
        }
        if (length > c.ids.length) {
            c.ids = Arrays.copyOf(c.ids, Math.max(length, c.ids.length * 2));
        }
        identities(c.ids, request, length);
        c.owner = request;
        c.length = length;
        return c.ids;
    }

    /** Of the first {@code length} blocks of a request, those inside its shared prefix {@code prefix} (none if negative). */
    private int sharedBlocks(long prefix, int prefixTokens, int length) {
        return prefix < 0 ? 0 : Math.min(length, prefixTokens / blockTokens);
    }

    /** Writes the identities of the first {@code length} blocks of {@code request} into {@code out}. */
    private void identities(long[] out, int request, int length) {
        long prefix = requests.prefixId(request);
        int prefixTokens = requests.prefixTokens(request);
        int shared = sharedBlocks(prefix, prefixTokens, length);
        long h = prefixes.copy(prefix, shared, blockTokens, out);
        PrefixChain.fill(out, shared, length, blockTokens, h, prefixTokens, ownKey(request));
    }

    /**
     * The identities of shared prefixes' blocks, which depend on the prefix alone: most prompts of a shared-prefix
     * workload start with one of a few prefixes, whose chains are copied instead of hashed again. With them, the
     * slots where the prefix's blocks were last found in the cache ({@link KvBlockManager#matchingBlocks(long[], int,
     * int[], int[], int)}'s hints). Direct-mapped by prefix id; a collision recomputes.
     */
    private static final class PrefixChains {
        private static final int SLOTS = 256;
        private final long[] ids = new long[SLOTS];
        private final long[][] chains = new long[SLOTS][];
        private final int[][] hints = new int[SLOTS][];

        PrefixChains() {
            Arrays.fill(ids, Long.MIN_VALUE);
        }

        /** Writes the first {@code blocks} identities of prefix {@code prefix} into {@code out}; returns the last (or the start). */
        long copy(long prefix, int blocks, int blockTokens, long[] out) {
            if (blocks == 0) {
                return PrefixChain.start(prefix);
            }
            int slot = slot(prefix, blocks, blockTokens);
            System.arraycopy(chains[slot], 0, out, 0, blocks);
            return chains[slot][blocks - 1];
        }

        /** The slot hints of the first {@code blocks} (or more) blocks of prefix {@code prefix}; null when none. */
        int[] hints(long prefix, int blocks, int blockTokens) {
            return blocks == 0 ? null : hints[slot(prefix, blocks, blockTokens)];
        }

        /** The entry of {@code prefix}, (re)computed unless it holds at least {@code blocks} blocks of it. */
        private int slot(long prefix, int blocks, int blockTokens) {
            int slot = (int) (prefix & (SLOTS - 1));
            long[] chain = chains[slot];
            if (ids[slot] != prefix || chain.length < blocks) {
                if (chain == null || chain.length < blocks) {
                    chain = new long[Math.max(blocks, chain == null ? 0 : 2 * chain.length)];
                    chains[slot] = chain;
                    hints[slot] = new int[chain.length];
                }
                // every block here lies inside the prefix, which is all the chain depends on
                PrefixChain.fill(chain, 0, chain.length, blockTokens, PrefixChain.start(prefix),
                        chain.length * blockTokens, 0);
                Arrays.fill(hints[slot], -1);
                ids[slot] = prefix;
            }
            return slot;
        }
    }

    /**
     * The slots of the blocks each admitted sequence holds by identity, in block order: one list per sequence, reused
     * by later sequences once it is closed (so the steady state allocates nothing). A list is named by a positive
     * number kept in the request table while the sequence holds blocks; {@link #NONE} otherwise.
     */
    private static final class HeldSlots {
        static final int NONE = 0;
        private int[][] lists = new int[16][];
        private int[] counts = new int[16];
        private int[] closed = new int[16];
        private int closedCount;
        private int opened;

        /** A list holding {@code n} slots (to be written by the caller). */
        int open(int n) {
            int list;
            if (closedCount > 0) {
                list = closed[--closedCount];
            } else {
                list = ++opened;
                if (list == lists.length) {
                    lists = Arrays.copyOf(lists, 2 * list);
                    counts = Arrays.copyOf(counts, 2 * list);
                    closed = Arrays.copyOf(closed, 2 * list);
                }
                lists[list] = new int[64];
            }
            counts[list] = n;
            grow(list, n);
            return list;
        }

        void close(int list) {
            closed[closedCount++] = list;
        }

        int count(int list) {
            return counts[list];
        }

        void setCount(int list, int n) {
            counts[list] = n;
        }

        int[] slots(int list) {
            return lists[list];
        }

        /** The slots of {@code list}, with room for at least {@code n}. */
        int[] grow(int list, int n) {
            if (lists[list].length < n) {
                lists[list] = Arrays.copyOf(lists[list], Math.max(n, 2 * lists[list].length));
            }
            return lists[list];
        }
    }

    /** A buffer of block identities and whose they are. */
    private static final class Chain {
        long[] ids = new long[64];
        int owner = -1;
        int length;
    }
}
