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
    private long[] chain = new long[64];
    /** Slots of the cached blocks the last admission lookup found (valid while {@link #version} is unchanged). */
    private int[] slots = new int[64];
    private int chainOwner = -1;
    private int chainLength;
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
        if (lookupRequest == request && lookupVersion == version && lookupTarget == target && chainOwner == request) {
            return lookupNeed;
        }
        int full = (target - 1) / blockTokens;
        fillChain(request, full);
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
            fillChain(request, full);
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
        fillChain(request, full);
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

    private void fillChain(int request, int length) {
        if (chainOwner == request && chainLength >= length) {
            return;
        }
        if (length > chain.length) {
            chain = Arrays.copyOf(chain, Math.max(length, chain.length * 2));
        }
        long session = requests.sessionId(request);
        PrefixChain.fill(chain, length, blockTokens, requests.prefixId(request), requests.prefixTokens(request),
                session >= 0 ? session : -2L - request);
        chainOwner = request;
        chainLength = length;
    }
}
