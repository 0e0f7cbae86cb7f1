package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;

import java.util.Arrays;

/**
 * The sequences in an engine's batch: the running ones (prefilling or decoding, in admission order for
 * preemption), the prefilling ones with the chunk each computes in the iteration being formed, and — for
 * request-level batching — the finished ones that hold their slot.
 */
final class Sequences {
    private final RequestTable requests;
    private int[] running = new int[64];
    private int runningCount;
    private int[] prefilling = new int[64];
    private int[] chunks = new int[64];
    private int prefillingCount;
    private int[] held = new int[16];
    private int heldCount;
    private long admitCounter;

    Sequences(RequestTable requests) {
        this.requests = requests;
    }

    /** Sequences in the batch: prefilling plus decoding (including held finished slots). */
    int runningCount() {
        return runningCount + heldCount;
    }

    /** A sequence joins the batch, prefilling {@code chunk} tokens in the iteration being formed. */
    void admit(int r, int chunk) {
        requests.admitOrder[r] = admitCounter++;
        if (runningCount == running.length) {
            running = Arrays.copyOf(running, runningCount * 2);
        }
        requests.runningPos[r] = runningCount;
        running[runningCount++] = r;
        if (prefillingCount == prefilling.length) {
            prefilling = Arrays.copyOf(prefilling, prefillingCount * 2);
            chunks = Arrays.copyOf(chunks, prefillingCount * 2);
        }
        prefilling[prefillingCount] = r;
        chunks[prefillingCount] = chunk;
        prefillingCount++;
    }

    /** A sequence whose prompt's KV is in place (transferred) joins the batch as a decode. */
    void admitDecoding(int r) {
        requests.admitOrder[r] = admitCounter++;
        if (runningCount == running.length) {
            running = Arrays.copyOf(running, runningCount * 2);
        }
        requests.runningPos[r] = runningCount;
        running[runningCount++] = r;
    }

    /**
     * Gives each prefilling sequence its chunk of the iteration being formed (decodes first: {@code budget} is what
     * they leave), records them in {@code shape} (cleared first) and returns the budget left.
     */
    int planPrefillChunks(BatchShape shape, int budget, int chunkCap) {
        shape.clear();
        for (int i = 0; i < prefillingCount; i++) {
            int r = prefilling[i];
            int chunk = Math.min(requests.prefillTarget[r] - requests.prefilled[r], Math.min(budget, chunkCap));
            chunks[i] = chunk;
            if (chunk > 0) {
                shape.addPrefillChunk(chunk, requests.prefilled[r]);
                budget -= chunk;
            }
        }
        return budget;
    }

    int prefillingCount() {
        return prefillingCount;
    }

    int prefilling(int i) {
        return prefilling[i];
    }

    int chunk(int i) {
        return chunks[i];
    }

    /** While compacting the prefilling list after an iteration: {@code r} stays, at position {@code i}. */
    void keepPrefilling(int i, int r) {
        prefilling[i] = r;
        chunks[i] = 0;
    }

    void setPrefillingCount(int count) {
        prefillingCount = count;
    }

    void removePrefilling(int r) {
        int kept = 0;
        for (int i = 0; i < prefillingCount; i++) {
            if (prefilling[i] != r) {
                prefilling[kept] = prefilling[i];
                chunks[kept] = chunks[i];
                kept++;
            }
        }
        prefillingCount = kept;
    }

    /** Request-level batching: a finished sequence keeps its slot until the batch returns. */
    void hold(int r) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = r;
        removeRunning(r);
    }

    int heldCount() {
        return heldCount;
    }

    int held(int i) {
        return held[i];
    }

    void clearHeld() {
        heldCount = 0;
    }

    /** The latest admitted running sequence (the preemption victim), or −1. */
    int latestAdmitted() {
        int victim = -1;
        long latest = -1;
        for (int i = 0; i < runningCount; i++) {
            int r = running[i];
            if (requests.admitOrder[r] > latest) {
                latest = requests.admitOrder[r];
                victim = r;
            }
        }
        return victim;
    }

    void removeRunning(int r) {
        int pos = requests.runningPos[r];
        int last = running[--runningCount];
        running[pos] = last;
        requests.runningPos[last] = pos;
        requests.runningPos[r] = -1;
    }

    void removeIfRunning(int r) {
        int pos = requests.runningPos[r];
        if (pos >= 0 && pos < runningCount && running[pos] == r) {
            removeRunning(r);
        }
    }
}
