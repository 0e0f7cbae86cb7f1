package io.servesim.core.engine;

/**
 * The transitions of the sequences in an engine's batch after they were admitted: a prefill that completes (first
 * token; the sequence decodes or, with one output token, completes), decodes that finish, finished sequences that
 * hold their slot under request-level batching, and preemption by recompute of the latest admitted. Keeps the
 * batch lists, the decode set and the KV blocks consistent; the engine hears of each completion.
 */
final class SequenceLifecycle {
    /** What the engine does when a sequence completes. */
    interface Completion {
        void completed(int request, double t);
    }

    /** Disaggregated serving: what a prefill engine does with a sequence whose prefill completed (its KV is freed). */
    interface Handoff {
        void handedOff(int request, double t);
    }

    private final RequestTable requests;
    private final Sequences sequences;
    private final DecodeSet decodes;
    private final KvCache kv;
    private final boolean holdsFinishedSlots;
    private final Completion completion;
    private final Handoff handoff;

    /** @param handoff for a prefill engine of a disaggregated cluster, what it does after a prefill; null otherwise */
    SequenceLifecycle(RequestTable requests, Sequences sequences, DecodeSet decodes, KvCache kv,
                      boolean holdsFinishedSlots, Completion completion, Handoff handoff) {
        this.requests = requests;
        this.sequences = sequences;
        this.decodes = decodes;
        this.kv = kv;
        this.holdsFinishedSlots = holdsFinishedSlots;
        this.completion = completion;
        this.handoff = handoff;
    }

    /** The prefill chunks of the iteration that ended at {@code t} are computed; {@code iteration} is the next one. */
    void finishPrefillChunks(long iteration, double t) {
        int n = sequences.prefillingCount();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int r = sequences.prefilling(i);
            requests.prefilled[r] += sequences.chunk(i);
            if (requests.prefilled[r] < requests.prefillTarget[r]) {
                sequences.keepPrefilling(kept++, r);
                continue;
            }
            kv.prefillDone(r);
            int generated = ++requests.generated[r];
            if (generated >= requests.outputTokens(r)) {
                requests.markFirstToken(r, t);
                complete(r, requests.prefillTarget[r], t);
            } else if (handoff != null) {
                kv.free(r, requests.prefillTarget[r], requests.prefillTarget[r]);
                sequences.removeRunning(r);
                requests.state[r] = RequestTable.TRANSFERRING;
                handoff.handedOff(r, t);
            } else {
                requests.markFirstToken(r, t);
                decodes.add(r, iteration, iteration + requests.outputTokens(r) - generated - 1);
            }
        }
        sequences.setPrefillingCount(kept);
    }

    /** Free KV blocks a delivered request needs to join the decode set: its prompt's, and its first decode step's. */
    int deliveredBlocks(int r) {
        return blocks(requests.prefillTarget[r] + 1);
    }

    /**
     * A request whose KV was delivered joins the decode set from {@code iteration} on (blocks for its prompt now);
     * returns the blocks its first decode step takes with the other decodes' (1 when its prompt fills its last block).
     */
    int admitDelivered(int r, long iteration) {
        int tokens = requests.prefillTarget[r];
        kv.admitTransferred(r, tokens);
        requests.prefilled[r] = tokens;
        sequences.admitDecoding(r);
        decodes.add(r, iteration, iteration + requests.outputTokens(r) - requests.generated[r] - 1);
        return deliveredBlocks(r) - blocks(tokens);
    }

    private int blocks(int tokens) {
        int blockTokens = kv.blocks().blockTokens();
        return (tokens + blockTokens - 1) / blockTokens;
    }

    /** Iteration {@code last} ended at {@code t}: the sequences that produced their last token in it finish. */
    void completeDecodesFinishingAt(long last, long iteration, double t) {
        while (decodes.liveMinFinish() == last) {
            int r = decodes.popFinished();
            if (holdsFinishedSlots) {
                sequences.hold(r);
                requests.finishIteration[r] = Long.MAX_VALUE;
            } else {
                complete(r, decodes.remove(r, iteration), t);
            }
        }
        releaseHeldSlotsOnceNoneLive(iteration, t);
    }

    /** Request-level batching: when no live sequence is left, the held finished ones return together. */
    void releaseHeldSlotsOnceNoneLive(long iteration, double t) {
        if (holdsFinishedSlots && decodes.live == 0 && sequences.heldCount() > 0) {
            for (int i = 0; i < sequences.heldCount(); i++) {
                int r = sequences.held(i);
                complete(r, decodes.remove(r, iteration), t);
            }
            sequences.clearHeld();
        }
    }

    private void complete(int r, long tokensInKv, double t) {
        kv.free(r, tokensInKv, tokensInKv);
        sequences.removeIfRunning(r);
        requests.complete(r, t);
        completion.completed(r, t);
    }

    /**
     * Preempts the latest admitted running sequence at {@code iteration} (recompute: its blocks are released, the
     * computed full ones stay cached); returns it, back in the waiting state, or −1 if none is running.
     */
    int preemptLatest(long iteration) {
        int victim = sequences.latestAdmitted();
        if (victim < 0) {
            return -1;
        }
        if (requests.state[victim] == RequestTable.DECODING) {
            requests.generated[victim] += (int) (iteration - requests.decodeStart[victim]);
            long tokens = decodes.remove(victim, iteration);
            kv.preempt(victim, tokens, tokens);
            decodes.live--;
        } else {
            kv.preempt(victim, requests.prefillTarget[victim], requests.prefilled[victim]);
            sequences.removePrefilling(victim);
        }
        sequences.removeRunning(victim);
        requests.state[victim] = RequestTable.WAITING;
        requests.prefilled[victim] = 0;
        requests.countPreemption(victim);
        return victim;
    }
}
