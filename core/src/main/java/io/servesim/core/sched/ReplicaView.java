package io.servesim.core.sched;

import io.servesim.core.model.StepTimeModel;

/**
 * One engine (replica, or virtual engine of a pipeline-parallel replica) as schedulers and routers see it: its
 * limits, its load, its KV cache, and — for the scheduler at an iteration boundary — {@link #fits} and
 * {@link #admit}. Queue limits and queue timeouts are the engine's, not the scheduler's: a request the queue limit
 * rejects never reaches the scheduler, and one that times out is {@link BatchScheduler#withdraw withdrawn}.
 */
public interface ReplicaView {
    /** This engine's index in the cluster (what routers return and requests record). */
    int index();

    /** The replica this engine belongs to (the position of its plan in the run's list). */
    int deploymentReplica();

    /** This engine's index among its replica's virtual engines; 0 for a replica that runs as one engine. */
    int virtualEngine();

    ServingLimits config();

    StepTimeModel stepTimeModel();

    RequestView requests();

    /** Current simulated time on this engine (the boundary being decided). */
    double now();

    /** Sequences in the batch: prefilling plus decoding (including held finished slots). */
    int runningCount();

    int decodingCount();

    /** Σ of the decoding sequences' context lengths at the current iteration. */
    long decodeContextTokens();

    /** KV blocks free for the batch being formed (cached blocks nobody uses count as free). */
    int freeKvBlocks();

    int totalKvBlocks();

    /** Token budget still unused in the iteration being formed. */
    int tokenBudgetLeft();

    /** Requests routed here and not finished: waiting plus running. */
    int outstandingRequests();

    /** Σ prompt + output tokens of the outstanding requests. */
    long outstandingTokens();

    /** Requests waiting here (in the scheduler's queues). */
    int waitingCount();


    /**
     * Whether {@code request} can join the batch being formed: a free slot, KV blocks for its prompt (plus tokens
     * already generated, when it was preempted) beyond those it finds cached, and token budget for its first chunk.
     */
    boolean fits(int request);

    /** Adds a waiting request to the batch being formed; it must {@link #fits}. */
    void admit(int request);
}
