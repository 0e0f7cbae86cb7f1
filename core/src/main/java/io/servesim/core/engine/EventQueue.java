package io.servesim.core.engine;

import java.util.Arrays;

/**
 * Future-event list of the simulation: a binary min-heap over primitive arrays.
 *
 * <p>Invariants: events pop in order of time; events with equal times pop by kind (lower kind
 * first, so an arrival is seen by an iteration boundary at the same instant) and then in the order
 * they were pushed (FIFO, by a monotonically increasing sequence number), so a run is deterministic. An event
 * carries a kind, a target (e.g. a replica index) and a tag (e.g. a version number that lets the
 * target ignore events it has superseded). Nothing is boxed and nothing is allocated per event once
 * the arrays have grown to the run's working size.
 */
public final class EventQueue {
    private static final int KIND_SHIFT = 48;
    private double[] times;
    private long[] seqs;
    private int[] kinds;
    private int[] targets;
    private long[] tags;
    private int size;
    private long nextSeq;

    private double topTime;
    private int topKind;
    private int topTarget;
    private long topTag;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int initialCapacity) {
        int capacity = Math.max(4, initialCapacity);
        times = new double[capacity];
        seqs = new long[capacity];
        kinds = new int[capacity];
        targets = new int[capacity];
        tags = new long[capacity];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest event; +∞ when empty. */
    public double peekTime() {
        return size == 0 ? Double.POSITIVE_INFINITY : times[0];
    }

    /** Adds an event. {@code time} must be a number (not NaN); {@code kind} orders ties. */
    public void push(double time, int kind, int target, long tag) {
        if (kind < 0 || kind > 0x7fff) {
            throw new IllegalArgumentException("event kind must be in [0, 32767], got " + kind);
        }
        if (Double.isNaN(time)) {
            throw new IllegalArgumentException("event time is NaN (kind " + kind + ", target " + target + ")");
        }
        if (size == times.length) {
            grow();
        }
        long seq = ((long) kind << KIND_SHIFT) | nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], seqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, time, seq, kind, target, tag);
    }

    /**
     * Removes the earliest event; read it with {@link #time()}, {@link #kind()}, {@link #target()},
     * {@link #tag()} until the next pop.
     */
    public void pop() {
        if (size == 0) {
            throw new IllegalStateException("pop on an empty event queue");
        }
        topTime = times[0];
        topKind = kinds[0];
        topTarget = targets[0];
        topTag = tags[0];
        int last = --size;
        if (last > 0) {
            siftDownFromRoot(times[last], seqs[last], kinds[last], targets[last], tags[last], last);
        }
    }

    public double time() {
        return topTime;
    }

    public int kind() {
        return topKind;
    }

    public int target() {
        return topTarget;
    }

    public long tag() {
        return topTag;
    }

    private void siftDownFromRoot(double time, long seq, int kind, int target, long tag, int n) {
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && before(times[right], seqs[right], times[child], seqs[child])) {
                child = right;
            }
            if (!before(times[child], seqs[child], time, seq)) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, time, seq, kind, target, tag);
    }

    private static boolean before(double t1, long s1, double t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        seqs[to] = seqs[from];
        kinds[to] = kinds[from];
        targets[to] = targets[from];
        tags[to] = tags[from];
    }

    private void set(int i, double time, long seq, int kind, int target, long tag) {
        times[i] = time;
        seqs[i] = seq;
        kinds[i] = kind;
        targets[i] = target;
        tags[i] = tag;
    }

    private void grow() {
        int capacity = times.length * 2;
        times = Arrays.copyOf(times, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        targets = Arrays.copyOf(targets, capacity);
        tags = Arrays.copyOf(tags, capacity);
    }
}
