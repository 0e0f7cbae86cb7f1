package io.servesim.core.engine;

import io.servesim.core.hardware.GpuPower;
import io.servesim.core.memory.KvBlockManager;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;

/**
 * One model replica executing iteration-level batching: the mechanics of a vLLM-style engine.
 *
 * <p>Each iteration every decoding sequence generates one token (decodes first); prefill chunks of admitted
 * prompts fill the remaining token budget ({@code max_num_batched_tokens}); KV blocks ({@link KvBlockManager}) are
 * taken for the whole prompt at admission — except the leading full blocks found in the prefix cache, whose tokens
 * are not computed — and one block at a time as sequences grow; when a decode step needs a block that is not free,
 * the latest admitted sequence is preempted and recomputed later. Which waiting request joins the batch is the
 * {@link BatchScheduler}'s choice; the queue limit and the queue timeout are enforced here, once, for every
 * scheduler.
 *
 * <p>Decode work is O(1) per iteration: the decode set is kept as aggregates ({@link DecodeSet}), and while it does
 * not change decode iterations form a {@link DecodeRun} whose boundaries have an exact closed form, so the engine
 * jumps from one event to the next in O(log n) work. Stepping one event per iteration ({@code fastForward = false})
 * visits the same boundaries of the same runs, so both give the same bytes. Models without a closed form and
 * pipelined engines are stepped.
 *
 * <p>In a disaggregated cluster a prefill engine hands each request off once its prefill completes (its KV is freed
 * and sent to a decode engine); a decode engine receives requests with their KV delivered and admits them straight
 * into its decode set, when its KV blocks and batch have room (a preempted one is recomputed there, as in vLLM).
 *
 * <p>A pipeline-parallel replica runs as several such engines ("virtual engines", as in vLLM), each with its own
 * scheduler, sequences and share of the KV blocks, whose iterations pass the stages of one shared {@link Pipeline}.
 *
 * <p>Invariants: free blocks never go negative; every admitted request is in exactly one of the prefilling list or
 * the decode set; time never goes back; KV changes only at boundaries and iteration ends (so what a router or
 * scheduler sees does not depend on whether runs are stepped or jumped).
 */
public final class Replica extends EngineIdentity {
    private final BatchScheduler scheduler;
    private final EventQueue events;
    private final Simulation.Listener listener;
    private final boolean fastForward;
    /** Whether the engine shares pipeline stages with sibling virtual engines (its iterations are stepped). */
    private final boolean pipelined;
    private final KvCache kv;
    private final Sequences sequences;
    private final DecodeSet decodes;
    private final DecodeRun run;
    private final IterationStep step;
    private final SequenceLifecycle lifecycle;
    private final ReplicaStats stats;
    private final WaitingDeadlines deadlines;

    private long iteration;
    private double now;
    private final EngineLoad load;
    private final BatchAdmission admission;

    // ---- the iteration (or run of decode iterations) in progress ----
    private final BatchShape shape = new BatchShape();
    private final Projection projection = new Projection();
    private final IterationsInFlight inFlight;
    private boolean busy;
    private boolean runIsDecodeOnly;

    /**
     * @param index             this engine's index in the cluster
     * @param deploymentReplica the replica (setup) it belongs to
     * @param virtualEngine     its index among that replica's virtual engines
     * @param pipeline          the stages shared with the replica's other virtual engines, or null without PP
     * @param power             the power of the replica's GPUs by state, or null when unknown
     * @param handsOff          whether it is a prefill engine of a disaggregated cluster (hands requests off after
     *                          their prefill)
     */
    Replica(int index, int deploymentReplica, int virtualEngine, ReplicaConfig config, StepTimeModel model,
            GpuPower power, BatchScheduler scheduler, Pipeline pipeline, RequestTable requests, EventQueue events,
            Simulation.Listener listener, boolean fastForward, boolean handsOff) {
        super(index, deploymentReplica, virtualEngine, config, model, power, requests);
        if ((pipeline == null) != (model.pipelineStages() == 1)) {
            throw new IllegalArgumentException("a replica with " + model.pipelineStages()
                    + " pipeline stages needs a pipeline exactly when it has more than one stage");
        }
        this.scheduler = scheduler;
        this.pipelined = pipeline != null;
        this.events = events;
        this.listener = listener;
        this.fastForward = fastForward && pipeline == null;
        this.kv = new KvCache(new KvBlockManager(config.kvBlocks(), config.blockTokens(), config.prefixCaching()),
                requests, pipeline);
        this.sequences = new Sequences(requests);
        this.decodes = new DecodeSet(requests, config.blockTokens());
        this.run = new DecodeRun(model, decodes, config.blockTokens());
        this.stats = new ReplicaStats(pipeline, model.pipelineStages(), kv.blocks());
        this.step = new IterationStep(model, pipeline);
        this.lifecycle = new SequenceLifecycle(requests, sequences, decodes, kv, scheduler.holdsFinishedSlots(),
                this::completed, handsOff ? this::handedOff : null);
        this.deadlines = new WaitingDeadlines(requests, config.queueTimeoutSeconds());
        this.load = new EngineLoad(requests);
        this.admission = new BatchAdmission(config, requests, kv, sequences, lifecycle, load, stats, shape);
        this.inFlight = new IterationsInFlight(projection, run, shape, decodes, kv, config.kvBlocks());
    }

    // ---- what schedulers and routers see ----

    @Override
    public double now() {
        return now;
    }

    @Override
    public int runningCount() {
        return sequences.runningCount();
    }

    @Override
    public int decodingCount() {
        return decodes.count;
    }

    @Override
    public long decodeContextTokens() {
        return decodes.contextTokens(iteration);
    }

    @Override
    public int freeKvBlocks() {
        return admission.freeKvBlocks();
    }

    @Override
    public int totalKvBlocks() {
        return config.kvBlocks();
    }

    @Override
    public int tokenBudgetLeft() {
        return admission.tokenBudgetLeft;
    }

    @Override
    public int outstandingRequests() {
        return load.outstandingRequests;
    }

    @Override
    public long outstandingTokens() {
        return load.outstandingTokens;
    }

    @Override
    public int waitingCount() {
        return load.waiting;
    }

    /** What this engine did so far. */
    public ReplicaStats stats() {
        return stats;
    }

    /** The iteration (or run of them) in flight, for observers; null while the engine is idle. */
    public IterationsInFlight inFlight() {
        return busy ? inFlight : null;
    }

    @Override
    public boolean fits(int request) {
        return admission.fits(request);
    }

    @Override
    public void admit(int request) {
        if (!fits(request)) {
            throw new IllegalStateException("request " + request + " does not fit on replica " + index);
        }
        admission.admit(request, now, iteration);
    }

    /**
     * A request routed to this replica at time {@code t}. Requests that could never be served here fail at once
     * (longer than the context window, larger than the whole KV cache, or a prompt over the token budget without
     * chunked prefill), and so does one that finds the queue full.
     */
    void onArrival(int request, double t) {
        int prompt = requests.promptTokens(request);
        long total = prompt + (long) requests.outputTokens(request);
        requests.assignReplica(request, index);
        Outcome rejection = config.rejection(prompt, total, load.waiting);
        if (rejection != null) {
            requests.fail(request, rejection, t);
            listener.onFinished(request);
            return;
        }
        load.take(request);
        deadlines.add(request);
        enqueue(request, t);
    }

    /** A waiting request joins the scheduler's queue at {@code t}; an idle engine forms its next batch at once. */
    private void enqueue(int request, double t) {
        boolean mayChange = !busy || (runIsDecodeOnly && scheduler.arrivalMayChangeBatch(this));
        now = t;
        load.waiting++;
        scheduler.enqueue(request, this);
        if (!busy) {
            // start at t once every arrival at t is queued (arrivals pop before wake-ups at equal times), so that
            // requests arriving together are scheduled together, as an engine loop sees them
            events.push(t, Simulation.WAKEUP, index);
        } else if (mayChange && t < projection.endTime) {
            truncateRunAt(t);
        }
    }

    /** Disaggregated serving: this decode engine will receive {@code request}'s KV (it counts as outstanding here). */
    void expect(int request) {
        requests.assignDecodeReplica(request, index);
        load.take(request);
    }

    /**
     * Disaggregated serving: {@code request}'s KV arrived at {@code t}, which is its first token's time (the transfer
     * is part of TTFT). It waits for a batch slot and KV room, however long: the queue limit and timeout do not apply
     * to a request that holds a computed prompt; one too large for this engine's KV cache or context fails.
     */
    void onDelivered(int request, double t) {
        requests.markFirstToken(request, t);
        Outcome rejection = config.rejection(requests.promptTokens(request),
                requests.promptTokens(request) + (long) requests.outputTokens(request), 0);
        if (rejection != null) {
            requests.fail(request, rejection, t);
            load.release(request);
            listener.onFinished(request);
            return;
        }
        requests.state[request] = RequestTable.DELIVERED;
        enqueue(request, t);
    }

    /** A wake-up (the scheduler's, or a queue timeout) came while the replica was idle. */
    void onWakeup(double t) {
        boundary(t);
    }

    /** Forms the next iteration at time {@code t} and starts it (or goes idle). */
    private void boundary(double t) {
        now = t;
        admission.pendingNeed = 0;
        if (decodes.count > 0) {
            admission.pendingNeed = decodes.blocksNeededAt(iteration);
            while (admission.pendingNeed > kv.blocks().freeBlocks() && preemptLatest()) {
                lifecycle.releaseHeldSlotsOnceNoneLive(iteration, t);
                admission.pendingNeed = decodes.count > 0 ? decodes.blocksNeededAt(iteration) : 0;
            }
        }
        failTimedOut(t);
        int decodeTokens = config.mixedBatches() ? decodes.count : 0;
        admission.tokenBudgetLeft = sequences.planPrefillChunks(shape, config.maxNumBatchedTokens() - decodeTokens,
                admission.chunkCap());
        scheduler.admit(this);
        double wake = Math.min(scheduler.wakeupTime(this), deadlines.next());
        if (shape.prefillTokens == 0 && decodes.count == 0) {
            busy = false;
            run.stop();
            admission.pendingNeed = 0;
            if (wake < Double.POSITIVE_INFINITY) {
                events.push(Math.max(wake, t), Simulation.WAKEUP, index);
            } else {
                events.cancel(index);
            }
            return;
        }
        busy = true;
        projection.startTime = t;
        admission.pendingNeed = 0;
        runIsDecodeOnly = shape.prefillTokens == 0;
        // without mixed batches an iteration that prefills runs without the decodes, which wait (a stall that began
        // at t, unless an earlier iteration began it; with no decode left, none does)
        inFlight.decodesWait = !runIsDecodeOnly && !config.mixedBatches();
        if (decodes.count == 0) {
            stats.stalls.clear();
        } else if (inFlight.decodesWait && !stats.stalls.active()) {
            stats.stalls.add(t, decodes.count);
        }
        if (runIsDecodeOnly && !pipelined && run.hasClosedForm(decodes.count)) {
            if (!run.continues()) {
                run.start(t, iteration, kv.blocks().freeBlocks(), stats, shape);
            }
            double limit = fastForward ? Math.min(wake, listener.horizon()) : Double.NEGATIVE_INFINITY;
            run.project(limit, listener.horizon(), config.kvBlocks(), projection);
        } else {
            run.stop();
            projectOneIteration(t);
        }
        events.push(projection.endTime, Simulation.ITERATION_END, index);
    }

    /** The queue timeout, enforced for every scheduler: waiting requests never scheduled fail at the first boundary past it. */
    private void failTimedOut(double t) {
        int r;
        while ((r = deadlines.expired(t)) >= 0) {
            load.waiting--;
            requests.fail(r, Outcome.TIMEOUT, t);
            load.release(r);
            scheduler.withdraw(r, this);
            listener.onFinished(r);
        }
    }

    /** Computes the one iteration formed in {@link #shape} at boundary {@code t}: prefill, mixed, pipelined or stepped. */
    private void projectOneIteration(double t) {
        int free = kv.blocks().freeBlocks();
        if (decodes.count > 0 && !inFlight.decodesWait) {
            free -= decodes.blocksNeededAt(iteration);
            shape.setDecode(decodes.count, decodes.contextTokens(iteration));
        }
        step.project(shape, t, free, config.kvBlocks(), stats, projection);
    }

    /**
     * Ends the run in progress at the first boundary at or after {@code t}. A single iteration cannot end earlier
     * and is left alone; in particular a pipelined iteration, whose stage reservations are made once, is never
     * re-projected.
     */
    private void truncateRunAt(double t) {
        if (!run.active() || projection.iterations == 1) {
            return;
        }
        double oldEnd = projection.endTime;
        run.project(t, listener.horizon(), config.kvBlocks(), projection);
        if (projection.endTime < oldEnd) {
            events.push(projection.endTime, Simulation.ITERATION_END, index);
        }
    }

    /** The iteration, or run, in flight ended: commits it and handles its last iteration's completions. */
    void onIterationEnd() {
        Projection p = projection;
        double t = now = p.endTime;
        stats.commit(p, inFlight.decodeSequences(), shape.prefillSequences, run.active() ? run : null);
        kv.allocate(kv.blocks().freeBlocks() - p.freeBlocks);
        step.commit();
        // the decode clock: iterations in which the decodes ran (all of them with mixed batches)
        long last = iteration + (inFlight.decodesWait ? 0 : p.iterations) - 1;
        iteration = last + 1;
        run.committed = p.runIterations;
        if (!runIsDecodeOnly) {
            int decoding = decodes.count;
            lifecycle.finishPrefillChunks(iteration, t);
            if (inFlight.decodesWait) {
                stats.stalls.add(t, decodes.count - decoding);
            }
        }
        lifecycle.completeDecodesFinishingAt(last, iteration, t);
        busy = false;
        scheduler.onIterations(this, p.iterations, p.lastIterationSeconds);
        boundary(t);
    }

    /** A prefill engine's sequence finished its prefill at {@code t} and leaves for a decode engine. */
    private void handedOff(int r, double t) {
        requests.markHandoff(r, t);
        load.release(r);
        scheduler.onCompleted(r, this);
        listener.onHandedOff(r, t);
    }

    /** A sequence completed at {@code t} (its blocks are released). */
    private void completed(int r, double t) {
        load.release(r);
        scheduler.onCompleted(r, this);
        listener.onFinished(r);
    }

    /** Preempts the latest admitted running sequence (recompute); false if none can be preempted. */
    private boolean preemptLatest() {
        int victim = lifecycle.preemptLatest(iteration);
        if (victim < 0) {
            return false;
        }
        stats.preemptions++;
        load.waiting++;
        scheduler.requeue(victim, this);
        return true;
    }
}
