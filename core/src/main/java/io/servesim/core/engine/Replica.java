package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.DecodeCost;
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
 * While the decode set does not change, decode iterations form a "run": the context sum grows by the
 * batch size every iteration, and with the model's {@link DecodeCost} (c + max of two lines in the
 * context, in whole picoseconds) the run's boundaries T0 + S(k) have an exact closed form. The engine
 * therefore jumps from one event to the next in O(log n) work — to the iteration where a sequence
 * finishes, the last one whose KV blocks fit, or the first boundary at or after an arrival or a
 * scheduler wake-up — instead of visiting every iteration. Stepping one event per iteration
 * ({@code fastForward = false}) visits the same boundaries of the same runs, so both give the same
 * bytes; a test compares them on random scenarios. Models without a closed form are stepped.
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
    /** Iterations of the analytic run, counted from its start, at the end of the projected portion. */
    private long pRunIterations;

    // ---- the analytic run of decode iterations in progress (see startRun) ----
    private boolean inRun;
    /** Bumped on every change to the decode set; a run lasts while it does not change. */
    private long decodeSetVersion;
    private long runVersion;
    private long runStartContext;
    private long runCostPicos;
    private long runSlope1Picos;
    private long runIntercept1Picos;
    private long runSlope2Picos;
    private long runIntercept2Picos;
    /** Blocks the first r iterations of every period of blockTokens iterations need, r = 0 … blockTokens. */
    private final long[] runNeedPrefix;
    private double runStartBusy;
    private double runStartCommunication;
    private double runStartKvBlockSeconds;
    private double runCommunicationPerIteration;
    /** The model's decode cost per batch size in picoseconds (c, a1, b1, a2, b2), filled on first use. */
    private static final int COST_TERMS = 5;
    private byte[] decodeCostKnown = new byte[0];
    private long[] decodeCostPicos = new long[0];
    /** Iterations of the run committed so far (the run's last boundary is at T0 + S(committed)). */
    private long runCommitted;
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
        this.runNeedPrefix = new long[blockTokens + 1];
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

    /**
     * For schedulers' {@code enqueue}: when the scheduler already holds {@code max_queue_length} waiting requests,
     * fails {@code request} with {@code QUEUE_FULL} and returns true; otherwise returns false and the scheduler queues it.
     */
    public boolean rejectWhenQueueFull(int request) {
        if (scheduler.waitingCount() < config.maxQueueLength()) {
            return false;
        }
        fail(request, Outcome.QUEUE_FULL);
        return true;
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

    void onIterationEnd() {
        finishRun();
    }

    /** The scheduler's wake-up time came while the replica was idle (a busy replica has no pending wake-up). */
    void onWakeup(double t) {
        boundary(t);
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
            inRun = false;
            pendingNeed = 0;
            double wake = scheduler.wakeupTime(this);
            if (wake < Double.POSITIVE_INFINITY) {
                events.push(Math.max(wake, t), Simulation.WAKEUP, index);
            } else {
                events.cancel(index);
            }
            return;
        }
        busy = true;
        pendingNeed = 0;
        runIsDecodeOnly = shape.prefillTokens == 0;
        if (runIsDecodeOnly && pipeline == null && hasDecodeCost(decoding)) {
            if (!inRun || runVersion != decodeSetVersion) {
                startRun(t);
            }
            double limit = fastForward ? Math.min(scheduler.wakeupTime(this), listener.horizon()) : Double.NEGATIVE_INFINITY;
            projectRun(limit);
        } else {
            inRun = false;
            runStartTime = t;
            runStartIteration = iteration;
            projectOneIteration();
        }
        events.push(pEnd, Simulation.ITERATION_END, index);
    }

    /**
     * Starts a run of decode iterations at boundary {@code t}: while the decode set does not change, iteration j of
     * the run (j = 0, 1, …) has context sum x_j = x_0 + B·j and lasts c + max(a1·x_j + b1, a2·x_j + b2) (the model's
     * {@link DecodeCost}, rounded to whole picoseconds), so its boundaries T0 + S(k) are exact sums in closed form,
     * whether they are reached one event at a time or jumped to.
     */
    private void startRun(double t) {
        inRun = true;
        runVersion = decodeSetVersion;
        runStartTime = t;
        runStartIteration = iteration;
        runStartFree = freeBlocks;
        runStartBusy = busySeconds;
        runStartCommunication = communicationSeconds;
        runStartKvBlockSeconds = kvBlockSeconds;
        runCommitted = 0;
        runStartContext = decodeBase + decoding * iteration;
        int at = decoding * COST_TERMS;
        runCostPicos = decodeCostPicos[at];
        runSlope1Picos = decodeCostPicos[at + 1];
        runIntercept1Picos = decodeCostPicos[at + 2];
        runSlope2Picos = decodeCostPicos[at + 3];
        runIntercept2Picos = decodeCostPicos[at + 4];
        for (int r = 0; r < blockTokens; r++) {
            runNeedPrefix[r + 1] = runNeedPrefix[r] + residueCount[residue(iteration + r)];
        }
        shape.setDecode(decoding, runStartContext);
        runCommunicationPerIteration = model.communicationSeconds(shape, 0);
    }

    /**
     * Whether the model gives decode iterations of {@code sequences} sequences in closed form; caches its terms in
     * picoseconds, once per batch size, so starting a run allocates and recomputes nothing.
     */
    private boolean hasDecodeCost(int sequences) {
        if (sequences >= decodeCostKnown.length) {
            int size = Math.max(sequences + 1, decodeCostKnown.length * 2);
            decodeCostKnown = Arrays.copyOf(decodeCostKnown, size);
            decodeCostPicos = Arrays.copyOf(decodeCostPicos, size * COST_TERMS);
        }
        if (decodeCostKnown[sequences] == 0) {
            DecodeCost cost = model.decodeCost(sequences);
            decodeCostKnown[sequences] = (byte) (cost == null ? 2 : 1);
            if (cost != null) {
                int at = sequences * COST_TERMS;
                decodeCostPicos[at] = picos(cost.constantSeconds());
                decodeCostPicos[at + 1] = picos(cost.slope1());
                decodeCostPicos[at + 2] = picos(cost.intercept1());
                decodeCostPicos[at + 3] = picos(cost.slope2());
                decodeCostPicos[at + 4] = picos(cost.intercept2());
            }
        }
        return decodeCostKnown[sequences] == 1;
    }

    private static long picos(double seconds) {
        return Math.round(seconds * 1e12);
    }

    /**
     * Projects the run from its last committed boundary to the first boundary at or after {@code limit}, but no
     * further than the iteration in which a sequence finishes or the last one whose KV blocks fit; at least one
     * iteration.
     */
    private void projectRun(double limit) {
        long kMin = runCommitted + 1;
        long finish = liveMinFinish();
        long kFinish = finish == Long.MAX_VALUE ? Long.MAX_VALUE : finish - runStartIteration + 1;
        long kHigh = Math.max(kMin, Math.min(kFinish, runIterationsWithinBlocks()));
        long k = kHigh;
        if (!(runEnd(kHigh) < limit)) {
            long lo = kMin;
            long hi = kHigh;
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (runEnd(mid) >= limit) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            k = lo;
        }
        k = withinHorizon(kMin, k);
        double seconds = runPicos(k) * 1e-12;
        long need = runNeed(k);
        int total = config.kvBlocks();
        int usedAtStart = total - runStartFree;
        pRunIterations = k;
        pIterations = (int) (k - runCommitted);
        pEnd = runStartTime + seconds;
        pBusy = runStartBusy + seconds;
        pCommunication = runStartCommunication + k * runCommunicationPerIteration;
        // KV usage grows by one block per sequence every blockTokens iterations: trapezoid over the run.
        pKvBlockSeconds = runStartKvBlockSeconds + seconds * (usedAtStart + (runNeedPrefix[1] + need) / 2.0);
        pFree = (int) (runStartFree - need);
        pPeakUsed = total - pFree;
        pLastSeconds = iterationPicos(k - 1) * 1e-12;
    }

    /**
     * Stepping never processes an iteration that ends past the horizon, so a run may not jump over it: of the first
     * k iterations keep those up to the last boundary within the horizon (at least {@code kMin}, the one iteration
     * that is in flight when the horizon stops the run).
     */
    private long withinHorizon(long kMin, long k) {
        double horizon = listener.horizon();
        if (k == kMin || !(runEnd(k) > horizon)) {
            return k;
        }
        long lo = kMin;
        long hi = k - 1;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (runEnd(mid) <= horizon) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private double runEnd(long k) {
        return runStartTime + runPicos(k) * 1e-12;
    }

    /** Blocks the first k iterations of the run need: ⌊k / blockTokens⌋ · B + prefix(k mod blockTokens). */
    private long runNeed(long k) {
        return (k / blockTokens) * runNeedPrefix[blockTokens] + runNeedPrefix[(int) (k % blockTokens)];
    }

    /** The most iterations of the run whose blocks fit in the blocks free at its start. */
    private long runIterationsWithinBlocks() {
        long perPeriod = runNeedPrefix[blockTokens];
        long periods = runStartFree / perPeriod;
        long left = runStartFree - periods * perPeriod;
        int r = blockTokens - 1;
        while (runNeedPrefix[r] > left) {
            r--;
        }
        return periods * blockTokens + r;
    }

    /** Picoseconds of iteration j of the run: c + max(a1·x_j + b1, a2·x_j + b2), x_j = x_0 + B·j. */
    private long iterationPicos(long j) {
        long x = runStartContext + decoding * j;
        return runCostPicos + Math.max(runSlope1Picos * x + runIntercept1Picos, runSlope2Picos * x + runIntercept2Picos);
    }

    /** S(k): picoseconds of the first k iterations of the run, in closed form (exact integer arithmetic). */
    private long runPicos(long k) {
        long total = Math.multiplyExact(runCostPicos, k);
        // d(j) = line1(j) − line2(j) = slope · j + offset; line1 is the larger where d(j) ≥ 0.
        long slope = Math.multiplyExact(runSlope1Picos - runSlope2Picos, (long) decoding);
        long offset = Math.addExact(Math.multiplyExact(runSlope1Picos - runSlope2Picos, runStartContext),
                runIntercept1Picos - runIntercept2Picos);
        if (slope == 0) {
            return offset >= 0 ? total + lineSum(runSlope1Picos, runIntercept1Picos, 0, k)
                    : total + lineSum(runSlope2Picos, runIntercept2Picos, 0, k);
        }
        if (slope > 0) {
            long s = Math.min(k, offset >= 0 ? 0 : Math.floorDiv(-offset + slope - 1, slope));
            return total + lineSum(runSlope2Picos, runIntercept2Picos, 0, s) + lineSum(runSlope1Picos, runIntercept1Picos, s, k);
        }
        long s = Math.min(k, offset < 0 ? 0 : Math.floorDiv(offset, -slope) + 1);
        return total + lineSum(runSlope1Picos, runIntercept1Picos, 0, s) + lineSum(runSlope2Picos, runIntercept2Picos, s, k);
    }

    /** Σ_{j=u}^{v−1} (a · x_j + b) with x_j = x_0 + B·j, exactly: n·(a·x_0 + b) + a·B·(u + v − 1)·n / 2. */
    private long lineSum(long a, long b, long u, long v) {
        long n = v - u;
        if (n <= 0) {
            return 0;
        }
        long first = Math.addExact(Math.multiplyExact(a, runStartContext), b);
        long growth = Math.multiplyExact(a, (long) decoding);
        long pairs = Math.multiplyExact(u + v - 1, n) / 2;
        return Math.addExact(Math.multiplyExact(first, n), Math.multiplyExact(growth, pairs));
    }

    /**
     * Computes the one iteration formed in {@link #shape} at the current boundary: a prefill or mixed iteration, a
     * pipelined one, or a decode iteration of a model without a closed form.
     */
    private void projectOneIteration() {
        double t = runStartTime;
        int free = freeBlocks;
        if (decoding > 0) {
            free -= residueCount[residue(iteration)];
            shape.setDecode(decoding, decodeBase + decoding * iteration);
        }
        double dt;
        double communication;
        if (pipeline == null) {
            dt = model.stageSeconds(shape);
            communication = model.communicationSeconds(shape, 0);
        } else {
            dt = reserveStages(t) - t;
            communication = iterationCommunicationSeconds;
        }
        int used = config.kvBlocks() - free;
        pIterations = 1;
        pEnd = t + dt;
        pBusy = busySeconds + dt;
        pCommunication = communicationSeconds + communication;
        pKvBlockSeconds = kvBlockSeconds + used * dt;
        pFree = free;
        pPeakUsed = used;
        pLastSeconds = dt;
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
     * Ends the run in progress at the first boundary at or after {@code t}. A single iteration cannot end earlier
     * and is left alone; in particular a pipelined iteration, whose stage reservations are made once, is never
     * re-projected.
     */
    private void truncateRunAt(double t) {
        if (!inRun || pIterations == 1) {
            return;
        }
        double oldEnd = pEnd;
        projectRun(t);
        if (pEnd < oldEnd) {
            events.push(pEnd, Simulation.ITERATION_END, index);
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
        long last = iteration + pIterations - 1;
        iteration = last + 1;
        runCommitted = pRunIterations;
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
        decodeSetVersion++;
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
        decodeSetVersion++;
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
