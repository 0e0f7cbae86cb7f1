package io.servesim.core.engine;

/**
 * The decoding sequences of one engine as aggregates, so a decode iteration costs O(1) whatever the batch: their
 * count, the context sum (Σ context = base + count · iteration), how many need a new KV block at each iteration
 * (by residue class of their length modulo the block size: a sequence needs a block every blockTokens tokens) and
 * a heap of their finishing iterations. Finished sequences that hold their slot (request-level batching) stay in
 * the aggregates but not among the live ones.
 */
final class DecodeSet {
    private final RequestTable requests;
    private final int blockTokens;
    /** Decoding sequences, including finished ones that hold their slot. */
    int count;
    /** Decoding sequences that have not yet produced their last token. */
    int live;
    /** Σ over decoding sequences of (prefillTarget + 1 − decodeStart); context sum = base + count · iteration. */
    private long base;
    /** Sequences by (decodeStart − prefillTarget) mod blockTokens: those need a new block when iteration ≡ that. */
    private final int[] residueCount;
    private final FinishHeap finishing = new FinishHeap();
    /** Bumped on every change; a run of decode iterations lasts while it does not change. */
    long version;

    DecodeSet(RequestTable requests, int blockTokens) {
        this.requests = requests;
        this.blockTokens = blockTokens;
        this.residueCount = new int[blockTokens];
    }

    /** Σ of the decoding sequences' context lengths at {@code iteration}. */
    long contextTokens(long iteration) {
        return base + count * iteration;
    }

    /** New KV blocks iteration {@code iteration} needs. */
    int blocksNeededAt(long iteration) {
        return residueCount[residue(iteration)];
    }

    /** Sequence {@code r}, prefilled to {@code prefillTarget[r]}, decodes from {@code start}; last token at {@code finish}. */
    void add(int r, long start, long finish) {
        int target = requests.prefillTarget[r];
        requests.state[r] = RequestTable.DECODING;
        requests.decodeStart[r] = start;
        requests.finishIteration[r] = finish;
        finishing.push(finish, r);
        base += target + 1 - start;
        residueCount[residue(start - target)]++;
        count++;
        live++;
        version++;
    }

    /** Removes {@code r} from the aggregates; returns the tokens whose KV it holds at {@code iteration}. */
    long remove(int r, long iteration) {
        long start = requests.decodeStart[r];
        int target = requests.prefillTarget[r];
        base -= target + 1 - start;
        residueCount[residue(start - target)]--;
        count--;
        version++;
        return target + (iteration - start);
    }

    /** Smallest finishing iteration among live sequences, skipping stale heap entries; Long.MAX_VALUE if none. */
    long liveMinFinish() {
        while (!finishing.isEmpty()) {
            int r = finishing.minValue();
            if (requests.state[r] == RequestTable.DECODING && requests.finishIteration[r] == finishing.minKey()) {
                return finishing.minKey();
            }
            finishing.pop();
        }
        return Long.MAX_VALUE;
    }

    /** The live sequence finishing first (after {@link #liveMinFinish}); removes it from the heap. */
    int popFinished() {
        int r = finishing.minValue();
        finishing.pop();
        live--;
        return r;
    }

    /** Blocks needed by iterations {@code from … from + r − 1}, r = 0 … blockTokens, into {@code prefix}. */
    void needPrefix(long from, long[] prefix) {
        for (int r = 0; r < blockTokens; r++) {
            prefix[r + 1] = prefix[r] + residueCount[residue(from + r)];
        }
    }

    private int residue(long value) {
        return (int) Math.floorMod(value, (long) blockTokens);
    }
}
