package io.servesim.schedulers.batch;

import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.ServingLimits;
import io.servesim.core.sched.RequestView;
import io.servesim.core.model.BatchShape;
import io.servesim.core.sched.RequestQueue;


/**
 * The admission rule of dynamic batching: continuous batching whose batch-size cap is set by a
 * memory-aware and an SLA-constrained controller (after Pang, Li and Wang, "Optimizing LLM Inference
 * Throughput via Memory-aware and SLA-constrained Dynamic Batching", 2025), under a capacity policy.
 * One instance serves one replica; schedulers use it by composition.
 *
 * <p>A waiting request joins the batch only if, in order:
 * <ol>
 *   <li>the replica {@link ReplicaView#fits fits} it (slot, KV for its prompt, token budget);</li>
 *   <li>{@code guaranteed_no_evict}: blocks(prompt + output) fit in the blocks not promised to running requests;</li>
 *   <li>memory-aware (skipped on an empty replica): max(Σ expected need of the running, KV tokens in use)
 *       + its expected need ≤ η · KV capacity, where a request's expected need is prompt +
 *       max(Q(q), tokens already generated) and Q(q) is the q-quantile of the output-length distribution;</li>
 *   <li>SLA-constrained (skipped below {@code b_min} running): running &lt; cap, and the step-time model
 *       predicts a decode iteration of (running + 1 sequences, their context + its prompt) within
 *       τ = TPOT deadline · headroom.</li>
 * </ol>
 * The cap moves by feedback, additive increase / multiplicative decrease within [b_min, max_num_seqs]:
 * at a boundary where the batch may have changed, cap += α if the last measured iteration
 * ({@link #onIterations}) took ≤ τ, else cap = cap · β.
 *
 * <p>Fast-forward exactness: the cap moves only at boundaries where the batch may have changed (a
 * completion, a preemption, prefill work in the last iteration, an arrival the scheduler lets through,
 * a timeout) — exactly the boundaries the engine consults in both modes — and between them every
 * check above can only get stricter while decode iterations pass (KV in use and contexts grow; the
 * step-time model is assumed non-decreasing in decode context).
 */
public final class DynamicBatchController {
    private final CapacityPolicy capacity;
    private final double memoryFraction;
    private final int expectedOutputTokens;
    private final double targetIterationSeconds;
    private final int minBatch;
    private final double additiveIncrease;
    private final double multiplicativeDecrease;
    private final BatchShape probe = new BatchShape();

    /** Σ expected KV need (tokens) of the running requests admitted here; each one's is its scheduler note. */
    private long expectedNeedTokens;
    private long promisedBlocks;
    private double cap = Double.NaN;
    private double lastIterationSeconds = Double.NaN;
    private boolean batchMayHaveChanged = true;
    private long admittedContextTokens;
    private boolean blocked;

    /**
     * @param capacity               capacity policy
     * @param memoryFraction         η, the fraction of KV capacity the expected need may fill (+∞: memory control off)
     * @param expectedOutputTokens   Q(q), the output-length quantile budgeted per request
     * @param targetIterationSeconds τ, the per-token target (+∞: SLA control off)
     * @param minBatch               b_min, sequences always allowed by the SLA controller and the cap's floor
     * @param additiveIncrease       α, cap increase after an iteration within τ
     * @param multiplicativeDecrease β, cap factor after an iteration over τ
     */
    public DynamicBatchController(CapacityPolicy capacity, double memoryFraction, int expectedOutputTokens,
                                  double targetIterationSeconds, int minBatch, double additiveIncrease,
                                  double multiplicativeDecrease) {
        this.capacity = capacity;
        this.memoryFraction = memoryFraction;
        this.expectedOutputTokens = expectedOutputTokens;
        this.targetIterationSeconds = targetIterationSeconds;
        this.minBatch = minBatch;
        this.additiveIncrease = additiveIncrease;
        this.multiplicativeDecrease = multiplicativeDecrease;
    }

    /** FCFS continuous batching under {@code capacity} alone: both controllers off. */
    public static DynamicBatchController uncontrolled(CapacityPolicy capacity) {
        return new DynamicBatchController(capacity, Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY, 1, 0, 1);
    }

    /** Starts a boundary: applies the feedback if the batch may have changed since the last one. */
    public void beginBoundary(ReplicaView replica) {
        int maxSeqs = replica.config().maxNumSeqs();
        if (Double.isNaN(cap)) {
            cap = maxSeqs;
        }
        if (batchMayHaveChanged && !Double.isNaN(lastIterationSeconds)) {
            cap = lastIterationSeconds <= targetIterationSeconds
                    ? Math.min(cap + additiveIncrease, maxSeqs)
                    : Math.max(cap * multiplicativeDecrease, Math.min(minBatch, maxSeqs));
        }
        batchMayHaveChanged = false;
        admittedContextTokens = 0;
    }

    /**
     * Admits from the head of {@code queue} while the rule allows, at most {@code limit} requests.
     * Returns how many were admitted; {@link #blocked()} says whether it
     * stopped on a request the rule refused.
     */
    public int admitFrom(RequestQueue queue, ReplicaView replica, int limit) {
        int admitted = 0;
        blocked = false;
        while (admitted < limit && !queue.isEmpty()) {
            int head = queue.peekFirst();
            if (!allows(head, replica)) {
                blocked = true;
                break;
            }
            queue.pollFirst();
            admit(head, replica);
            admitted++;
        }
        return admitted;
    }

    /** Whether the last {@link #admitFrom} stopped on a refused request (nothing more joins until the batch changes). */
    public boolean blocked() {
        return blocked;
    }

    /** Ends a boundary: prefill work in the coming iteration means the batch changes at its end. */
    public void endBoundary(ReplicaView replica) {
        if (replica.runningCount() > replica.decodingCount()) {
            batchMayHaveChanged = true;
        }
    }

    /** The current cap on sequences in the batch. */
    public int batchCap(ReplicaView replica) {
        return Double.isNaN(cap) ? replica.config().maxNumSeqs() : (int) cap;
    }

    boolean allows(int request, ReplicaView replica) {
        if (!replica.fits(request)) {
            return false;
        }
        RequestView requests = replica.requests();
        ServingLimits config = replica.config();
        int prompt = requests.promptTokens(request);
        if (capacity == CapacityPolicy.GUARANTEED_NO_EVICT
                && promisedBlocks + config.blocksFor(prompt + (long) requests.outputTokens(request)) > replica.totalKvBlocks()) {
            return false;
        }
        int running = replica.runningCount();
        if (running > 0 && memoryFraction < Double.POSITIVE_INFINITY) {
            long usedTokens = (long) (replica.totalKvBlocks() - replica.freeKvBlocks()) * config.blockTokens();
            long committed = Math.max(expectedNeedTokens, usedTokens) + need(request, requests);
            if (committed > memoryFraction * replica.totalKvBlocks() * config.blockTokens()) {
                return false;
            }
        }
        if (running >= minBatch) {
            if (running >= (int) cap) {
                return false;
            }
            if (targetIterationSeconds < Double.POSITIVE_INFINITY) {
                long context = replica.decodeContextTokens() + admittedContextTokens + prompt
                        + requests.generatedTokens(request);
                probe.clear().setDecode(running + 1, context);
                return replica.stepTimeModel().iterationSeconds(probe) <= targetIterationSeconds;
            }
        }
        return true;
    }

    private void admit(int request, ReplicaView replica) {
        RequestView requests = replica.requests();
        int need = need(request, requests);
        requests.setSchedulerNote(request, need);
        expectedNeedTokens += need;
        promisedBlocks += promise(request, replica);
        admittedContextTokens += requests.promptTokens(request) + requests.generatedTokens(request);
        replica.admit(request);
    }

    private int need(int request, RequestView requests) {
        return requests.promptTokens(request) + Math.max(expectedOutputTokens, requests.generatedTokens(request));
    }

    private int promise(int request, ReplicaView replica) {
        RequestView requests = replica.requests();
        return replica.config().blocksFor(requests.promptTokens(request) + (long) requests.outputTokens(request));
    }

    /** A request admitted here left the batch (completed or preempted). */
    public void onLeft(int request, ReplicaView replica) {
        expectedNeedTokens -= replica.requests().schedulerNote(request);
        promisedBlocks -= promise(request, replica);
        batchMayHaveChanged = true;
    }

    /** A request arrived; {@code letThrough} is what the scheduler answered to {@code arrivalMayChangeBatch}. */
    public void onArrival(boolean letThrough) {
        if (letThrough) {
            batchMayHaveChanged = true;
        }
    }

    /** The measured duration of the last iteration the replica ran. */
    public void onIterations(double lastSeconds) {
        lastIterationSeconds = lastSeconds;
    }
}
