package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;

import java.util.Arrays;

/**
 * One model replica executing iteration-level batching: the mechanics of a vLLM-style engine.
 *
 * <p>Each iteration every decoding sequence generates one token (decodes first); prefill chunks of
 * admitted prompts fill the remaining token budget ({@code max_num_batched_tokens}); KV blocks are
 * allocated for the whole prompt at admission and one block at a time as sequences grow; when a
 * decode step needs a block that is not free, the latest admitted sequence is preempted and
 * recomputed later. Which waiting request joins the batch is the {@link BatchScheduler}'s choice.
 *
 * <p>Decode work is O(1) per iteration: the replica keeps the decode set as aggregates (count,
 * Σ context via a running base, blocks needed per iteration by residue class of each sequence's
 * length) and the sequences' finishing iterations in a heap, so it never touches every sequence.
 * Between boundaries where the batch may change (an arrival, a completion, a preemption, a
 * scheduler wake-up) decode iterations run back to back in a tight loop without events ("a run").
 * An arrival in the middle of a run truncates it at the first iteration boundary at or after the
 * arrival by replaying the run's arithmetic from its start, so the result is exactly what stepping
 * one event per iteration gives ({@code fastForward = false}); a test compares both byte for byte.
 *
 * <p>A pipeline-parallel replica runs as several such engines ("virtual engines", as in vLLM), each with its own
 * scheduler, sequences and share of the KV blocks, whose iterations pass the stages of one shared {@link Pipeline}.
 * Their iterations reserve the stages when they are formed, so they run one iteration per event and are never
 * re-projected; everything else is the same.
 *
 * <p>Invariants: free blocks never go negative; every admitted request is in exactly one of the
 * prefilling list or the decode set; time never goes back.
 */
public final class Replica {
    private final int index;
    private final int deploymentReplica;
    private final int virtualEngine;
    private final ReplicaConfig config;
    private final StepTimeModel model;
    private final BatchScheduler scheduler;
    private final RequestTable requests;
    private final EventQueue events;
    private final Simulation.Listener listener;
    private final boolean fastForward;
    private final boolean holdsFinishedSlots;
    private final int blockTokens;
    /** The stages this engine shares with its sibling virtual engines; null without pipeline parallelism. */
    private final Pipeline pipeline;

    // ---- sequences on the replica ----
    private int[] running = new int[64];
    private int runningCount;
    private int[] prefilling = new int[64];
    private int[] chunks = new int[64];
    private int prefillingCount;
    /** Decoding sequences, including finished ones that hold their slot. */
    private int decoding;
    /** Decoding sequences that have not yet produced their last token. */
    private int liveDecoding;
    /** Σ over decoding sequences of (prefillTarget + 1 − decodeStart); context sum = base + decoding · iteration. */
    private long decodeBase;
    /** Decoding sequences by (decodeStart − prefillTarget) mod blockTokens: those need a new block when iteration ≡ that. */
    private final int[] residueCount;
    private final FinishHeap finishing = new FinishHeap();
    private int[] held = new int[16];
    private int heldCount;
    private long admitCounter;

    // ---- time and memory ----
    private long iteration;
    private int freeBlocks;
    private double now;

    // ---- the iteration (or run of decode iterations) in progress ----
    private final BatchShape shape = new BatchShape();
    private boolean busy;
    private boolean runIsDecodeOnly;
    private int pendingNeed;
    private int tokenBudgetLeft;
    private double runStartTime;
    private long runStartIteration;
    private int runStartFree;
    private long version;
    // projection of the run (set by project)
    private int pIterations;
    private double pEnd;
    /** Busy seconds and KV block-seconds including the projected run. */
    private double pBusy;
    private double pKvBlockSeconds;
    private int pFree;
    private int pPeakUsed;
    private double pLastSeconds;
    private double pCommunication;
    // the pipelined iteration in flight (set by reserveStages)
    private final double[] stageSeconds;
    private final double[] stageCommunicationSeconds;
    private double transferSeconds;
    private double iterationCommunicationSeconds;

    // ---- statistics ----
    private long iterations;
    private long batchSequencesSum;
    private double busySeconds;
    private double communicationSeconds;
    private double kvBlockSeconds;
    private int peakUsedBlocks;
    private long preemptionCount;
    private long outstandingTokens;
    private int outstandingRequests;

    /**
     * @param index             this engine's index in the cluster
     * @param deploymentReplica the replica (setup) it belongs to
     * @param virtualEngine     its index among that replica's virtual engines
     * @param pipeline          the stages shared with the replica's other virtual engines, or null without PP
     */
    Replica(int index, int deploymentReplica, int virtualEngine, ReplicaConfig config, StepTimeModel model,
            BatchScheduler scheduler, Pipeline pipeline, RequestTable requests, EventQueue events,
            Simulation.Listener listener, boolean fastForward) {
        if ((pipeline == null) != (model.pipelineStages() == 1)) {
            throw new IllegalArgumentException("a replica with " + model.pipelineStages()
                    + " pipeline stages needs a pipeline exactly when it has more than one stage");
        }
        this.index = index;
        this.deploymentReplica = deploymentReplica;
        this.virtualEngine = virtualEngine;
        this.config = config;
        this.model = model;
        this.scheduler = scheduler;
        this.pipeline = pipeline;
        this.requests = requests;
        this.events = events;
        this.listener = listener;
        this.fastForward = fastForward && pipeline == null;
        int stages = model.pipelineStages();
        this.stageSeconds = new double[pipeline == null ? 0 : stages];
        this.stageCommunicationSeconds = new double[pipeline == null ? 0 : stages];
        this.holdsFinishedSlots = scheduler.holdsFinishedSlots();
        this.blockTokens = config.blockTokens();
        this.residueCount = new int[blockTokens];
        this.freeBlocks = config.kvBlocks();
    }

    // =====================================================================================
    // What schedulers and routers see
    // =====================================================================================

    /** This engine's index in the cluster (what routers return and requests record). */
    public int index() {
        return index;
    }

    /** The replica this engine belongs to: the position of its {@link ReplicaPlan} in the run's list. */
    public int deploymentReplica() {
        return deploymentReplica;
    }

    /** This engine's index among its replica's virtual engines; 0 for a replica that runs as one engine. */
    public int virtualEngine() {
        return virtualEngine;
    }

    /** Pipeline stages of the replica (the PP degree). */
    public int pipelineStages() {
        return model.pipelineStages();
    }

    /** GPUs per stage (the TP degree). */
    public int tensorParallel() {
        return model.tensorParallel();
    }

    public ReplicaConfig config() {
        return config;
    }

    public StepTimeModel stepTimeModel() {
        return model;
    }

    public RequestTable requests() {
        return requests;
    }

    /** Current simulated time on this replica (the boundary being decided). */
    public double now() {
        return now;
    }

    /** Sequences in the batch: prefilling plus decoding (including held finished slots). */
    public int runningCount() {
        return runningCount + heldCount;
    }

    public int decodingCount() {
        return decoding;
    }

    /** Σ of the decoding sequences' context lengths at the current iteration. */
    public long decodeContextTokens() {
        return decodeBase + decoding * iteration;
    }

    public int freeKvBlocks() {
        return freeBlocks - pendingNeed;
    }

    public int totalKvBlocks() {
        return config.kvBlocks();
    }

    /** Token budget still unused in the iteration being formed. */
    public int tokenBudgetLeft() {
        return tokenBudgetLeft;
    }

    /** Requests routed here and not finished: waiting plus running. */
    public int outstandingRequests() {
        return outstandingRequests;
    }

    /** Σ prompt + output tokens of the outstanding requests. */
    public long outstandingTokens() {
        return outstandingTokens;
    }

    public int waitingCount() {
        return scheduler.waitingCount();
    }

    public BatchScheduler scheduler() {
        return scheduler;
    }

    /**
     * Whether {@code request} can join the batch being formed: a free slot, KV blocks for its prompt
     * (plus tokens already generated, when it was preempted), and token budget for its first chunk.
     */
    public boolean fits(int request) {
        if (runningCount + heldCount >= config.maxNumSeqs()) {
            return false;
        }
        int target = requests.promptTokens(request) + requests.generated[request];
        if (config.blocksFor(target) > freeBlocks - pendingNeed) {
            return false;
        }
        int firstChunk = config.chunkedPrefill() ? 1 : Math.min(target, config.maxNumBatchedTokens());
        return tokenBudgetLeft >= firstChunk;
    }

    /** Adds a waiting request to the batch being formed; it must {@link #fits}. */
    public void admit(int request) {
        if (!fits(request)) {
            throw new IllegalStateException("request " + request + " does not fit on replica " + index);
        }
        int target = requests.promptTokens(request) + requests.generated[request];
        changeFreeBlocks(-config.blocksFor(target));
        requests.prefillTarget[request] = target;
        requests.prefilled[request] = 0;
        requests.state[request] = RequestTable.PREFILLING;
        requests.admitOrder[request] = admitCounter++;
        requests.markScheduled(request, now);
        addRunning(request);
        int chunk = Math.min(target, Math.min(tokenBudgetLeft, chunkCap()));
        appendPrefilling(request, chunk);
        shape.addPrefillChunk(chunk, 0);
        tokenBudgetLeft -= chunk;
    }

    /** Ends a request that is not running here (waiting in the scheduler) with a failure. */
    public void fail(int request, Outcome reason) {
        if (requests.state[request] != RequestTable.WAITING) {
            throw new IllegalStateException("request " + request + " is running; only waiting requests can fail");
        }
        requests.fail(request, reason, now);
        release(request);
        listener.onFinished(request);
    }

    // =====================================================================================
    // Engine side
    // =====================================================================================

    /**
     * A request routed to this replica at time {@code t}. Requests that could never be served here
     * fail at once: longer than the context window, larger than the whole KV cache, or a prompt over
     * the token budget without chunked prefill.
     */
    void onArrival(int request, double t) {
        int prompt = requests.promptTokens(request);
        long total = prompt + (long) requests.outputTokens(request);
        requests.assignReplica(request, index);
        Outcome rejection = total > config.maxContextTokens() ? Outcome.EXCEEDS_CONTEXT
                : config.blocksFor(total) > config.kvBlocks() ? Outcome.EXCEEDS_KV_CAPACITY
                : !config.chunkedPrefill() && prompt > config.maxNumBatchedTokens() ? Outcome.EXCEEDS_TOKEN_BUDGET
                : null;
        if (rejection != null) {
            requests.fail(request, rejection, t);
            listener.onFinished(request);
            return;
        }
        outstandingRequests++;
        outstandingTokens += total;
        boolean mayChange = !busy || (runIsDecodeOnly && scheduler.arrivalMayChangeBatch(this));
        now = t;
        scheduler.enqueue(request, this);
        if (!busy) {
            boundary(t);
        } else if (mayChange && t < pEnd) {
            truncateRunAt(t);
        }
    }

    void onIterationEnd(long tag) {
        if (tag != version) {
            return;
        }
        finishRun();
    }

    void onWakeup(long tag) {
        if (tag != version || busy) {
            return;
        }
        boundary(events.time());
    }

    private int chunkCap() {
        return config.chunkedPrefill() ? config.prefillChunkTokens() : Integer.MAX_VALUE;
    }

    /** Forms the next iteration at time {@code t} and starts it (or goes idle). */
    private void boundary(double t) {
        now = t;
        pendingNeed = 0;
        if (decoding > 0) {
            pendingNeed = residueCount[residue(iteration)];
            while (pendingNeed > freeBlocks && preemptLatest()) {
                releaseHeldSlotsOnceNoneLive(t);
                pendingNeed = decoding > 0 ? residueCount[residue(iteration)] : 0;
            }
        }
        int budget = config.maxNumBatchedTokens() - decoding;
        shape.clear();
        int cap = chunkCap();
        for (int i = 0; i < prefillingCount; i++) {
            int r = prefilling[i];
            int remaining = requests.prefillTarget[r] - requests.prefilled[r];
            int chunk = Math.min(remaining, Math.min(budget, cap));
            chunks[i] = chunk;
            if (chunk > 0) {
                shape.addPrefillChunk(chunk, requests.prefilled[r]);
                budget -= chunk;
            }
        }
        tokenBudgetLeft = budget;
        scheduler.admit(this);
        if (shape.prefillTokens == 0 && decoding == 0) {
            busy = false;
            pendingNeed = 0;
            version++;
            double wake = scheduler.wakeupTime(this);
            if (wake < Double.POSITIVE_INFINITY) {
                events.push(Math.max(wake, t), Simulation.WAKEUP, index, version);
            }
            return;
        }
        busy = true;
        runIsDecodeOnly = shape.prefillTokens == 0;
        runStartTime = t;
        runStartIteration = iteration;
        runStartFree = freeBlocks;
        pendingNeed = 0;
        double limit = fastForward && runIsDecodeOnly ? Math.min(scheduler.wakeupTime(this), listener.horizon())
                : Double.NEGATIVE_INFINITY;
        project(limit);
        version++;
        events.push(pEnd, Simulation.ITERATION_END, index, version);
    }

    /**
     * Computes the run that starts at the saved run start: the first iteration with the formed
     * shape, then (decode-only runs) further decode iterations while no sequence finishes, the next
     * block fits, and the last boundary is before {@code limit}.
     */
    private void project(double limit) {
        double t = runStartTime;
        long g = runStartIteration;
        int free = runStartFree;
        int total = config.kvBlocks();
        double horizon = listener.horizon();
        long stopAt = runIsDecodeOnly ? liveMinFinish() : Long.MAX_VALUE;
        // Accumulate onto the committed totals, in iteration order, so sums are bit-identical to stepping.
        double busySum = busySeconds;
        double communicationSum = communicationSeconds;
        double kvSum = kvBlockSeconds;
        int peak = 0;
        int n = 0;
        double dt;
        do {
            int need = decoding > 0 ? residueCount[residue(g)] : 0;
            if (need > free) {
                break;
            }
            if (decoding > 0) {
                shape.setDecode(decoding, decodeBase + decoding * g);
            }
            if (pipeline == null) {
                dt = model.stageSeconds(shape);
                if (n > 0 && t + dt > horizon) {
                    // Stepping never processes an iteration that ends past the horizon: the run ends at the last
                    // boundary within it, so the iterations before are committed as they are when stepping.
                    break;
                }
                communicationSum += model.communicationSeconds(shape, 0);
            } else {
                dt = reserveStages(t) - t;
                communicationSum += iterationCommunicationSeconds;
            }
            free -= need;
            t += dt;
            busySum += dt;
            int used = total - free;
            kvSum += used * dt;
            if (used > peak) {
                peak = used;
            }
            pLastSeconds = dt;
            n++;
            g++;
        } while (runIsDecodeOnly && g <= stopAt && t < limit);
        pIterations = n;
        pEnd = t;
        pBusy = busySum;
        pCommunication = communicationSum;
        pKvBlockSeconds = kvSum;
        pFree = free;
        pPeakUsed = peak;
    }

    /**
     * Reserves the pipeline's stages for the iteration formed in {@link #shape}, ready at {@code readyTime}, and
     * returns its end. Keeps the stage times for {@link Pipeline#commit} when the iteration ends.
     */
    private double reserveStages(double readyTime) {
        double communication = 0;
        for (int s = 0; s < stageSeconds.length; s++) {
            stageSeconds[s] = model.stageSeconds(shape, s);
            stageCommunicationSeconds[s] = model.communicationSeconds(shape, s);
            communication += stageCommunicationSeconds[s];
        }
        transferSeconds = model.stageTransferSeconds(shape);
        iterationCommunicationSeconds = communication + (stageSeconds.length - 1) * transferSeconds;
        return pipeline.reserve(readyTime, stageSeconds, transferSeconds);
    }

    /**
     * Ends the run in progress at the first boundary at or after {@code t}. A run of one iteration cannot end
     * earlier and is left alone; in particular a pipelined iteration, whose stage reservations must be made once,
     * is never re-projected.
     */
    private void truncateRunAt(double t) {
        if (pIterations == 1) {
            return;
        }
        double oldEnd = pEnd;
        project(t);
        if (pEnd < oldEnd) {
            version++;
            events.push(pEnd, Simulation.ITERATION_END, index, version);
        }
    }

    /** Commits the run that just ended and handles its last iteration's completions. */
    private void finishRun() {
        double t = pEnd;
        now = t;
        iterations += pIterations;
        batchSequencesSum += (long) pIterations * decoding + shape.prefillSequences;
        busySeconds = pBusy;
        communicationSeconds = pCommunication;
        kvBlockSeconds = pKvBlockSeconds;
        if (pPeakUsed > peakUsedBlocks) {
            peakUsedBlocks = pPeakUsed;
        }
        changeFreeBlocks(pFree - freeBlocks);
        if (pipeline != null) {
            pipeline.commit(stageSeconds, stageCommunicationSeconds, transferSeconds);
        }
        long last = runStartIteration + pIterations - 1;
        iteration = last + 1;
        if (!runIsDecodeOnly) {
            finishPrefillChunks(t);
        }
        completeDecodesFinishingAt(last, t);
        busy = false;
        scheduler.onIterations(this, pIterations, pLastSeconds);
        boundary(t);
    }

    private void finishPrefillChunks(double t) {
        int kept = 0;
        for (int i = 0; i < prefillingCount; i++) {
            int r = prefilling[i];
            requests.prefilled[r] += chunks[i];
            if (requests.prefilled[r] < requests.prefillTarget[r]) {
                prefilling[kept] = r;
                chunks[kept] = 0;
                kept++;
                continue;
            }
            int generated = ++requests.generated[r];
            requests.markFirstToken(r, t);
            if (generated >= requests.outputTokens(r)) {
                completeRunning(r, config.blocksFor(requests.prefillTarget[r]), t);
            } else {
                startDecoding(r, generated);
            }
        }
        prefillingCount = kept;
    }

    private void startDecoding(int r, int generated) {
        int target = requests.prefillTarget[r];
        long start = iteration;
        requests.state[r] = RequestTable.DECODING;
        requests.decodeStart[r] = start;
        long finish = start + requests.outputTokens(r) - generated - 1;
        requests.finishIteration[r] = finish;
        finishing.push(finish, r);
        decodeBase += target + 1 - start;
        residueCount[residue(start - target)]++;
        decoding++;
        liveDecoding++;
    }

    private void completeDecodesFinishingAt(long last, double t) {
        while (liveMinFinish() == last) {
            int r = finishing.minValue();
            finishing.pop();
            liveDecoding--;
            if (holdsFinishedSlots) {
                holdSlot(r);
            } else {
                int blocks = removeFromDecodeSet(r);
                completeRunning(r, blocks, t);
            }
        }
        releaseHeldSlotsOnceNoneLive(t);
    }

    /** Request-level batching: when no live sequence is left, the held finished ones return together. */
    private void releaseHeldSlotsOnceNoneLive(double t) {
        if (holdsFinishedSlots && liveDecoding == 0 && heldCount > 0) {
            for (int i = 0; i < heldCount; i++) {
                int r = held[i];
                completeRunning(r, removeFromDecodeSet(r), t);
            }
            heldCount = 0;
        }
    }

    private void holdSlot(int r) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = r;
        removeRunning(r);
        requests.finishIteration[r] = Long.MAX_VALUE;
    }

    /** Smallest finishing iteration among live decoding sequences, skipping stale heap entries. */
    private long liveMinFinish() {
        while (!finishing.isEmpty()) {
            int r = finishing.minValue();
            if (requests.state[r] == RequestTable.DECODING && requests.finishIteration[r] == finishing.minKey()) {
                return finishing.minKey();
            }
            finishing.pop();
        }
        return Long.MAX_VALUE;
    }

    /** Removes a decoding sequence from the aggregates; returns the KV blocks it holds. */
    private int removeFromDecodeSet(int r) {
        long start = requests.decodeStart[r];
        int target = requests.prefillTarget[r];
        decodeBase -= target + 1 - start;
        residueCount[residue(start - target)]--;
        decoding--;
        return config.blocksFor(target + (iteration - start));
    }

    private void completeRunning(int r, int blocks, double t) {
        changeFreeBlocks(blocks);
        removeRunningIfPresent(r);
        requests.complete(r, t);
        release(r);
        scheduler.onCompleted(r, this);
        listener.onFinished(r);
    }

    private void release(int r) {
        outstandingRequests--;
        outstandingTokens -= requests.promptTokens(r) + (long) requests.outputTokens(r);
    }

    /** Preempts the latest admitted running sequence (recompute); false if none can be preempted. */
    private boolean preemptLatest() {
        int victim = -1;
        long latest = -1;
        for (int i = 0; i < runningCount; i++) {
            int r = running[i];
            if (requests.admitOrder[r] > latest) {
                latest = requests.admitOrder[r];
                victim = r;
            }
        }
        if (victim < 0) {
            return false;
        }
        if (requests.state[victim] == RequestTable.DECODING) {
            requests.generated[victim] += (int) (iteration - requests.decodeStart[victim]);
            changeFreeBlocks(removeFromDecodeSet(victim));
            liveDecoding--;
        } else {
            changeFreeBlocks(config.blocksFor(requests.prefillTarget[victim]));
            removePrefilling(victim);
        }
        removeRunning(victim);
        requests.state[victim] = RequestTable.WAITING;
        requests.prefilled[victim] = 0;
        requests.countPreemption(victim);
        preemptionCount++;
        scheduler.requeue(victim, this);
        return true;
    }

    private void removePrefilling(int r) {
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

    private void appendPrefilling(int r, int chunk) {
        if (prefillingCount == prefilling.length) {
            prefilling = Arrays.copyOf(prefilling, prefillingCount * 2);
            chunks = Arrays.copyOf(chunks, prefillingCount * 2);
        }
        prefilling[prefillingCount] = r;
        chunks[prefillingCount] = chunk;
        prefillingCount++;
    }

    private void addRunning(int r) {
        if (runningCount == running.length) {
            running = Arrays.copyOf(running, runningCount * 2);
        }
        requests.runningPos[r] = runningCount;
        running[runningCount++] = r;
    }

    private void removeRunning(int r) {
        int pos = requests.runningPos[r];
        int last = running[--runningCount];
        running[pos] = last;
        requests.runningPos[last] = pos;
        requests.runningPos[r] = -1;
    }

    private void removeRunningIfPresent(int r) {
        int pos = requests.runningPos[r];
        if (pos >= 0 && pos < runningCount && running[pos] == r) {
            removeRunning(r);
        }
    }

    /** Frees {@code delta} KV blocks (takes them when negative), keeping the pipeline's count in step. */
    private void changeFreeBlocks(int delta) {
        freeBlocks += delta;
        if (pipeline != null) {
            pipeline.addUsedKvBlocks(-delta);
        }
    }

    private int residue(long value) {
        return (int) Math.floorMod(value, (long) blockTokens);
    }

    // =====================================================================================
    // Statistics
    // =====================================================================================

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
        if (stage < 0 || stage >= model.pipelineStages()) {
            throw new IndexOutOfBoundsException("stage " + stage + " of " + model.pipelineStages());
        }
    }

    /** ∫ used KV blocks dt over the busy time. */
    public double kvBlockSeconds() {
        return kvBlockSeconds;
    }

    public int peakUsedBlocks() {
        return peakUsedBlocks;
    }

    public long preemptions() {
        return preemptionCount;
    }

    /** KV blocks in use now. */
    public int usedKvBlocks() {
        return config.kvBlocks() - freeBlocks;
    }
}
