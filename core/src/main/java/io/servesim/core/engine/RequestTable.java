package io.servesim.core.engine;

import io.servesim.core.sched.RequestView;
import io.servesim.core.workload.RequestSpec;

import java.util.Arrays;

/**
 * Every request of a run, one row per request id, stored column-wise in primitive arrays (no object
 * per request). Holds what the workload said (arrival, lengths, profile), what happened (first
 * scheduling, first token, finish, outcome, replica, preemptions) and the engine's per-sequence
 * bookkeeping while the request runs.
 */
public final class RequestTable implements RequestView {
    /** Sequence states while a request is alive on a replica. */
    static final byte WAITING = 0;
    static final byte PREFILLING = 1;
    static final byte DECODING = 2;
    static final byte DONE = 3;
    /** Disaggregated serving: prefilled, its KV on the way to a decode replica. */
    static final byte TRANSFERRING = 4;
    /** Disaggregated serving: its KV delivered to a decode replica, waiting there to join a batch as a decode. */
    static final byte DELIVERED = 5;

    private int size;

    private double[] arrival;
    private int[] prompt;
    private int[] output;
    private int[] profile;
    private long[] session;
    private int[] turn;
    private long[] prefixId;
    private int[] prefixTokens;

    private double[] firstScheduled;
    private double[] firstToken;
    private double[] handoff;
    private double[] finish;
    private byte[] outcome;
    private int[] replica;
    private int[] decodeReplica;
    private int[] preemptions;

    // Engine bookkeeping.
    byte[] state;
    /** Prompt tokens already in the KV cache (prefill progress; reset by a preemption). */
    int[] prefilled;
    /** Global iteration index of the sequence's first decode iteration on its replica. */
    long[] decodeStart;
    /** Iteration index in which the sequence produces its last token. */
    long[] finishIteration;
    /** Order of admission on the replica; a preemption picks the latest admitted. */
    long[] admitOrder;
    /** Position in the replica's running list. */
    int[] runningPos;
    /** Tokens to prefill in the current attempt: the prompt plus tokens generated before a preemption. */
    int[] prefillTarget;
    /** Output tokens produced so far (updated at prefill completion, preemption and completion). */
    int[] generated;
    /** With prefix caching: the engine's list of the slots of the KV blocks the sequence holds by identity (0: none). */
    int[] heldSlots;
    /** A value the scheduler of the request's replica keeps for it (see {@link #schedulerNote}). */
    private int[] schedulerNote;

    public RequestTable(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    private void allocate(int capacity) {
        arrival = new double[capacity];
        prompt = new int[capacity];
        output = new int[capacity];
        profile = new int[capacity];
        session = new long[capacity];
        turn = new int[capacity];
        prefixId = new long[capacity];
        prefixTokens = new int[capacity];
        firstScheduled = new double[capacity];
        firstToken = new double[capacity];
        handoff = new double[capacity];
        finish = new double[capacity];
        outcome = new byte[capacity];
        replica = new int[capacity];
        decodeReplica = new int[capacity];
        preemptions = new int[capacity];
        state = new byte[capacity];
        prefilled = new int[capacity];
        decodeStart = new long[capacity];
        finishIteration = new long[capacity];
        admitOrder = new long[capacity];
        runningPos = new int[capacity];
        prefillTarget = new int[capacity];
        generated = new int[capacity];
        heldSlots = new int[capacity];
        schedulerNote = new int[capacity];
    }

    private void grow() {
        int capacity = arrival.length * 2;
        arrival = Arrays.copyOf(arrival, capacity);
        prompt = Arrays.copyOf(prompt, capacity);
        output = Arrays.copyOf(output, capacity);
        profile = Arrays.copyOf(profile, capacity);
        session = Arrays.copyOf(session, capacity);
        turn = Arrays.copyOf(turn, capacity);
        prefixId = Arrays.copyOf(prefixId, capacity);
        prefixTokens = Arrays.copyOf(prefixTokens, capacity);
        firstScheduled = Arrays.copyOf(firstScheduled, capacity);
        firstToken = Arrays.copyOf(firstToken, capacity);
        handoff = Arrays.copyOf(handoff, capacity);
        finish = Arrays.copyOf(finish, capacity);
        outcome = Arrays.copyOf(outcome, capacity);
        replica = Arrays.copyOf(replica, capacity);
        decodeReplica = Arrays.copyOf(decodeReplica, capacity);
        preemptions = Arrays.copyOf(preemptions, capacity);
        state = Arrays.copyOf(state, capacity);
        prefilled = Arrays.copyOf(prefilled, capacity);
        decodeStart = Arrays.copyOf(decodeStart, capacity);
        finishIteration = Arrays.copyOf(finishIteration, capacity);
        admitOrder = Arrays.copyOf(admitOrder, capacity);
        runningPos = Arrays.copyOf(runningPos, capacity);
        prefillTarget = Arrays.copyOf(prefillTarget, capacity);
        generated = Arrays.copyOf(generated, capacity);
        heldSlots = Arrays.copyOf(heldSlots, capacity);
        schedulerNote = Arrays.copyOf(schedulerNote, capacity);
    }

    /** Appends a request; returns its row (= its id when the workload's ids are dense). */
    int add(RequestSpec spec) {
        if (size == arrival.length) {
            grow();
        }
        int r = size++;
        arrival[r] = spec.arrivalTime();
        prompt[r] = spec.promptTokens();
        output[r] = spec.outputTokens();
        profile[r] = spec.profile();
        session[r] = spec.sessionId();
        turn[r] = spec.turn();
        prefixId[r] = spec.prefixId();
        prefixTokens[r] = spec.prefixTokens();
        firstScheduled[r] = Double.NaN;
        firstToken[r] = Double.NaN;
        handoff[r] = Double.NaN;
        finish[r] = Double.NaN;
        outcome[r] = (byte) Outcome.IN_FLIGHT.ordinal();
        replica[r] = -1;
        decodeReplica[r] = -1;
        state[r] = WAITING;
        prefilled[r] = 0;
        generated[r] = 0;
        return r;
    }

    /** Number of requests that have arrived. */
    public int size() {
        return size;
    }

    @Override
    public double arrivalTime(int r) {
        return arrival[r];
    }

    @Override
    public int promptTokens(int r) {
        return prompt[r];
    }

    @Override
    public int outputTokens(int r) {
        return output[r];
    }

    @Override
    public int profile(int r) {
        return profile[r];
    }

    @Override
    public long sessionId(int r) {
        return session[r];
    }

    public int turn(int r) {
        return turn[r];
    }

    @Override
    public long prefixId(int r) {
        return prefixId[r];
    }

    /** Length of the shared prefix {@link #prefixId} names (0 without one). */
    @Override
    public int prefixTokens(int r) {
        return prefixTokens[r];
    }

    /** Time the request first entered a batch; NaN if never. */
    @Override
    public double firstScheduledTime(int r) {
        return firstScheduled[r];
    }

    /** Time its first output token was produced (end of its last prefill iteration); NaN if never. */
    public double firstTokenTime(int r) {
        return firstToken[r];
    }

    /**
     * Disaggregated serving: time its prefill ended and its KV left the prefill replica; NaN if it never did. Its
     * first token time is the KV's arrival at the decode replica, so the transfer took firstTokenTime − handoffTime.
     */
    public double handoffTime(int r) {
        return handoff[r];
    }

    /** Time it completed or failed; NaN while in flight. */
    public double finishTime(int r) {
        return finish[r];
    }

    public Outcome outcome(int r) {
        return Outcome.of(outcome[r]);
    }

    /** Replica it was routed to; -1 if it failed before routing. */
    public int replica(int r) {
        return replica[r];
    }

    /** Disaggregated serving: the decode engine its KV was sent to; -1 if none (aggregated, or not yet prefilled). */
    public int decodeReplica(int r) {
        return decodeReplica[r];
    }

    public int preemptions(int r) {
        return preemptions[r];
    }

    /** Output tokens generated so far (exact for waiting, prefilling and finished requests). */
    @Override
    public int generatedTokens(int r) {
        return generated[r];
    }

    /**
     * A number the scheduler of the replica a request is on may keep for it while it is there (e.g. the KV need
     * it promised at admission), so schedulers need no per-request arrays of their own. 0 until set.
     */
    @Override
    public int schedulerNote(int r) {
        return schedulerNote[r];
    }

    @Override
    public void setSchedulerNote(int r, int value) {
        schedulerNote[r] = value;
    }

    // ----- engine transitions -----

    void assignReplica(int r, int replicaIndex) {
        replica[r] = replicaIndex;
    }

    void markHandoff(int r, double time) {
        handoff[r] = time;
    }

    void assignDecodeReplica(int r, int replicaIndex) {
        decodeReplica[r] = replicaIndex;
    }

    void markScheduled(int r, double time) {
        if (Double.isNaN(firstScheduled[r])) {
            firstScheduled[r] = time;
        }
    }

    void markFirstToken(int r, double time) {
        if (Double.isNaN(firstToken[r])) {
            firstToken[r] = time;
        }
    }

    void complete(int r, double time) {
        finish[r] = time;
        generated[r] = output[r];
        outcome[r] = (byte) Outcome.COMPLETED.ordinal();
        state[r] = DONE;
    }

    void fail(int r, Outcome reason, double time) {
        if (!reason.isFailure()) {
            throw new IllegalArgumentException(reason + " is not a failure reason");
        }
        finish[r] = time;
        outcome[r] = (byte) reason.ordinal();
        state[r] = DONE;
    }

    void countPreemption(int r) {
        preemptions[r]++;
    }
}
