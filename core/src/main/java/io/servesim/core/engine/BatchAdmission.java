package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;

/**
 * The room left in the iteration an engine is forming, and the admission of waiting requests into it — what a
 * scheduler's {@code fits} and {@code admit} do. Room is the token budget the planned decodes and prefill chunks
 * leave, the batch slots ({@code max_num_seqs}) and the free KV blocks less the blocks the planned decode steps take
 * ({@link #pendingNeed}). A request admits with blocks for its whole prompt (less the prefix-cache hits) and its
 * first chunk; one whose KV was delivered from a prefill engine joins the decode set directly.
 */
final class BatchAdmission {
    private final ReplicaConfig config;
    private final RequestTable requests;
    private final KvCache kv;
    private final Sequences sequences;
    private final SequenceLifecycle lifecycle;
    private final EngineLoad load;
    private final ReplicaStats stats;
    private final BatchShape shape;
    /** Blocks the decode steps of the iteration being formed take (not free for admissions). */
    int pendingNeed;
    /** Token budget of the iteration being formed that admissions may still use. */
    int tokenBudgetLeft;

    BatchAdmission(ReplicaConfig config, RequestTable requests, KvCache kv, Sequences sequences,
                   SequenceLifecycle lifecycle, EngineLoad load, ReplicaStats stats, BatchShape shape) {
        this.config = config;
        this.requests = requests;
        this.kv = kv;
        this.sequences = sequences;
        this.lifecycle = lifecycle;
        this.load = load;
        this.stats = stats;
        this.shape = shape;
    }

    int freeKvBlocks() {
        return kv.blocks().freeBlocks() - pendingNeed;
    }

    /** Largest prefill chunk of one sequence in one iteration. */
    int chunkCap() {
        return config.chunkedPrefill() ? config.prefillChunkTokens() : Integer.MAX_VALUE;
    }

    boolean fits(int request) {
        if (sequences.runningCount() >= config.maxNumSeqs()) {
            return false;
        }
        if (requests.state[request] == RequestTable.DELIVERED) {
            return lifecycle.deliveredBlocks(request) <= freeKvBlocks() && tokenBudgetLeft >= 1;
        }
        int target = requests.promptTokens(request) + requests.generated[request];
        if (kv.blocksToAdmit(request, target) > freeKvBlocks()) {
            return false;
        }
        int uncomputed = target - kv.hitTokens();
        int firstChunk = config.chunkedPrefill() ? 1 : Math.min(uncomputed, config.maxNumBatchedTokens());
        return tokenBudgetLeft >= firstChunk;
    }

    /** Admits {@code request}, which {@link #fits}, at {@code now} into iteration {@code iteration}. */
    void admit(int request, double now, long iteration) {
        load.waiting--;
        if (requests.state[request] == RequestTable.DELIVERED) {
            pendingNeed += lifecycle.admitDelivered(request, iteration);
            tokenBudgetLeft--;
            return;
        }
        int target = requests.promptTokens(request) + requests.generated[request];
        int cached = kv.admit(request, target);
        stats.prefillTokensComputed += target - cached;
        requests.prefillTarget[request] = target;
        requests.prefilled[request] = cached;
        requests.state[request] = RequestTable.PREFILLING;
        requests.markScheduled(request, now);
        int chunk = Math.min(target - cached, Math.min(tokenBudgetLeft, chunkCap()));
        sequences.admit(request, chunk);
        shape.addPrefillChunk(chunk, cached);
        tokenBudgetLeft -= chunk;
    }
}
