package io.servesim.core.engine;

import io.servesim.core.memory.KvBlockManager;
import io.servesim.core.model.DecodeRunTime;
import io.servesim.core.stats.LogHistogram;

/**
 * What one engine did, for the run's metrics: iterations, busy and communication time, KV usage over time, peak
 * usage, preemptions and the prefix cache's counters. The engine commits to it at the end of every iteration (or
 * run of iterations); nothing here steers the simulation.
 */
public final class ReplicaStats {
    private final Pipeline pipeline;
    private final int stages;
    private final KvBlockManager kv;
    long iterations;
    long batchSequencesSum;
    double busySeconds;
    double prefillBusySeconds;
    double communicationSeconds;
    double kvBlockSeconds;
    double flops;
    double hbmBytes;
    int peakUsedBlocks;
    long preemptions;
    long prefillTokensComputed;
    private final LogHistogram interTokenSeconds = new LogHistogram();
    /** Decoding sequences waiting out prefill-only iterations (only without mixed batches). */
    final DecodeStalls stalls = new DecodeStalls();

    ReplicaStats(Pipeline pipeline, int stages, KvBlockManager kv) {
        this.pipeline = pipeline;
        this.stages = stages;
        this.kv = kv;
    }

    /**
     * The iterations in {@code p} ended, with {@code decodeSequences} decoding and {@code prefillSequences}
     * prefilling; {@code run} is the run of decode iterations they belong to, or null for a single iteration.
     */
    void commit(Projection p, int decodeSequences, int prefillSequences, DecodeRun run) {
        if (decodeSequences > 0) {
            // every decoding sequence gets its next token at the end of each iteration; after a stall the first
            // of them comes that much later
            long from = run != null ? run.committed : 0;
            if (stalls.active()) {
                double first = run != null ? run.iterationSeconds(from) : p.lastIterationSeconds;
                stalls.drainInto(interTokenSeconds, p.startTime + first, decodeSequences);
                from++;
            }
            if (run != null) {
                run.addIterationTimes(interTokenSeconds, from, p.runIterations, decodeSequences);
            } else if (from == 0) {
                interTokenSeconds.add(DecodeRunTime.picos(p.lastIterationSeconds), decodeSequences);
            }
        }
        iterations += p.iterations;
        batchSequencesSum += (long) p.iterations * decodeSequences + prefillSequences;
        busySeconds = p.busySeconds;
        prefillBusySeconds = p.prefillBusySeconds;
        communicationSeconds = p.communicationSeconds;
        kvBlockSeconds = p.kvBlockSeconds;
        flops = p.flops;
        hbmBytes = p.hbmBytes;
        peakUsedBlocks = Math.max(peakUsedBlocks, p.peakUsedBlocks);
    }

    /**
     * Time between consecutive tokens of a decoding sequence: one value per decode token, the duration of the
     * iteration that produced it (a preempted sequence's wait is not in it).
     */
    public LogHistogram interTokenSeconds() {
        return interTokenSeconds;
    }

    public long iterations() {
        return iterations;
    }

    /** Σ over iterations of the sequences in the batch. */
    public long batchSequencesSum() {
        return batchSequencesSum;
    }

    /**
     * Seconds with an iteration in flight. Without PP this is the busy time of every GPU of the replica; a virtual
     * engine's iterations also count the time they wait for a stage another engine holds (see
     * {@link #stageBusySeconds}).
     */
    public double busySeconds() {
        return busySeconds;
    }

    /**
     * The part of {@link #busySeconds} in iterations that compute prefill tokens (prefill-only or mixed with
     * decodes); the rest of the busy time is in decode-only iterations. The power model draws prefill power in the
     * first and decode power in the second.
     */
    public double prefillBusySeconds() {
        return prefillBusySeconds;
    }

    /**
     * The communication part of {@link #busySeconds}: Σ over iterations of the tensor-parallel all-reduces and, on
     * a pipeline, the stage-to-stage sends of the iteration.
     */
    public double communicationSeconds() {
        return communicationSeconds;
    }

    /**
     * Busy seconds of the GPUs of stage {@code stage} of this engine's replica: computing that stage of any of the
     * replica's virtual engines' iterations, or sending its activations on. Shared by the virtual engines of a
     * pipeline; {@link #busySeconds} without PP.
     */
    public double stageBusySeconds(int stage) {
        checkStage(stage);
        return pipeline == null ? busySeconds : pipeline.busySeconds(stage);
    }

    /** The communication part of {@link #stageBusySeconds}: all-reduces and sends of that stage's GPUs. */
    public double stageCommunicationSeconds(int stage) {
        checkStage(stage);
        return pipeline == null ? communicationSeconds : pipeline.communicationSeconds(stage);
    }

    /**
     * Most KV blocks in use at once over the whole replica (all its virtual engines; a decode step's new blocks
     * count from the end of the step); {@link #peakUsedBlocks} without PP.
     */
    public int replicaPeakUsedBlocks() {
        return pipeline == null ? peakUsedBlocks : pipeline.peakUsedKvBlocks();
    }

    private void checkStage(int stage) {
        if (stage < 0 || stage >= stages) {
            throw new IndexOutOfBoundsException("stage " + stage + " of " + stages);
        }
    }

    /**
     * Model FLOPs of the iterations, over all GPUs of the engine's replica, as its step-time model counts them
     * ({@link io.servesim.core.model.IterationWork}); 0 when the model does not count them.
     */
    public double flops() {
        return flops;
    }

    /** Bytes the iterations read from HBM (weights and KV cache), over all GPUs of the replica; 0 when not counted. */
    public double hbmBytes() {
        return hbmBytes;
    }

    /** ∫ used KV blocks dt over the busy time. */
    public double kvBlockSeconds() {
        return kvBlockSeconds;
    }

    public int peakUsedBlocks() {
        return peakUsedBlocks;
    }

    public long preemptions() {
        return preemptions;
    }

    /** KV blocks in use now. */
    public int usedKvBlocks() {
        return kv.usedBlocks();
    }

    /** Blocks with a prefix-cache identity now (in use or cached free). */
    public int cachedKvBlocks() {
        return kv.cachedBlocks();
    }

    /** Prompt tokens whose prefill was computed (the rest were found in the prefix cache). */
    public long prefillTokensComputed() {
        return prefillTokensComputed;
    }

    /** Prompt lookups in the prefix cache: one per admission (readmissions after a preemption included). */
    public long prefixLookups() {
        return kv.lookups();
    }

    /** Lookups that found at least one cached block. */
    public long prefixLookupHits() {
        return kv.lookupHits();
    }

    /** Σ prompt tokens looked up. */
    public long prefixLookupTokens() {
        return kv.lookupTokens();
    }

    /** Σ prompt tokens found in the prefix cache. */
    public long prefixHitTokens() {
        return kv.hitTokens();
    }

    /** Cached blocks evicted to make room. */
    public long prefixEvictions() {
        return kv.evictions();
    }
}
