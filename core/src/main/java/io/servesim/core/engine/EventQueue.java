package io.servesim.core.engine;

import java.util.Arrays;

/**
 * Future-event list of the simulation: a binary min-heap over primitive arrays.
 *
 * <p>Invariants: events pop in order of time; events with equal times pop by kind (lower kind
 * first, so an arrival is seen by an iteration boundary at the same instant) and then in the order
 * they were scheduled (FIFO, by a monotonically increasing sequence number), so a run is
 * deterministic. Each target (a replica, ≥ 0) has at most one pending event: scheduling another one
 * for it replaces the first in place (a decrease- or increase-key), so superseded events never
 * linger in the heap. Target −1 is anonymous (arrivals). Nothing is boxed and nothing is allocated
 * per event once the arrays have grown to the run's working size.
 */
public final class EventQueue {
    private static final int KIND_SHIFT = 48;
    private static final int ANONYMOUS = -1;

    private double[] times;
    private long[] seqs;
    private int[] kinds;
    private int[] targets;
    /** Heap position of each target's pending event, or −1. */
    private int[] positions = new int[0];
    private int size;
    private long nextSeq;

    private double topTime;
    private int topKind;
    private int topTarget;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int initialCapacity) {
        int capacity = Math.max(4, initialCapacity);
        times = new double[capacity];
        seqs = new long[capacity];
        kinds = new int[capacity];
        targets = new int[capacity];
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

    /**
     * Schedules an event for {@code target} (−1: anonymous). A target's pending event, if any, is
     * replaced: it takes the new time, kind and a new sequence number, as if it had been removed and
     * pushed again. {@code time} must be a number (not NaN); {@code kind} orders ties.
     */
    public void push(double time, int kind, int target) {
        if (kind < 0 || kind > 0x7fff) {
            throw new IllegalArgumentException("event kind must be in [0, 32767], got " + kind);
        }
        if (Double.isNaN(time)) {
            throw new IllegalArgumentException("event time is NaN (kind " + kind + ", target " + target + ")");
        }
        if (target < ANONYMOUS) {
            throw new IllegalArgumentException("event target must be >= -1, got " + target);
        }
        long seq = ((long) kind << KIND_SHIFT) | nextSeq++;
        int at = pendingPosition(target);
        if (at >= 0) {
            boolean earlier = before(time, seq, times[at], seqs[at]);
            set(at, time, seq, kind, target);
            if (earlier) {
                siftUp(at);
            } else {
                siftDown(at);
            }
            return;
        }
        if (size == times.length) {
            grow();
        }
        set(size, time, seq, kind, target);
        siftUp(size++);
    }

    /** Removes {@code target}'s pending event, if any. */
    public void cancel(int target) {
        int at = pendingPosition(target);
        if (at >= 0) {
            removeAt(at);
        }
    }

    /** Whether {@code target} has a pending event. */
    public boolean isPending(int target) {
        return pendingPosition(target) >= 0;
    }

    /**
     * Removes the earliest event; read it with {@link #time()}, {@link #kind()} and {@link #target()}
     * until the next pop.
     */
    public void pop() {
        if (size == 0) {
            throw new IllegalStateException("pop on an empty event queue");
        }
        topTime = times[0];
        topKind = kinds[0];
        topTarget = targets[0];
        removeAt(0);
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

    private int pendingPosition(int target) {
        return target >= 0 && target < positions.length ? positions[target] : -1;
    }

    private void removeAt(int at) {
        if (targets[at] >= 0) {
            positions[targets[at]] = -1;
        }
        int last = --size;
        if (at == last) {
            return;
        }
        set(at, times[last], seqs[last], kinds[last], targets[last]);
        if (at > 0 && before(times[at], seqs[at], times[(at - 1) >>> 1], seqs[(at - 1) >>> 1])) {
            siftUp(at);
        } else {
            siftDown(at);
        }
    }

    private void siftUp(int i) {
        double time = times[i];
        long seq = seqs[i];
        int kind = kinds[i];
        int target = targets[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], seqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, time, seq, kind, target);
    }

    private void siftDown(int i) {
        double time = times[i];
        long seq = seqs[i];
        int kind = kinds[i];
        int target = targets[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(times[right], seqs[right], times[child], seqs[child])) {
                child = right;
            }
            if (!before(times[child], seqs[child], time, seq)) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, time, seq, kind, target);
    }

    private static boolean before(double t1, long s1, double t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void move(int from, int to) {
        set(to, times[from], seqs[from], kinds[from], targets[from]);
    }

    private void set(int i, double time, long seq, int kind, int target) {
        times[i] = time;
        seqs[i] = seq;
        kinds[i] = kind;
        targets[i] = target;
        if (target >= 0) {
            if (target >= positions.length) {
                int old = positions.length;
                positions = Arrays.copyOf(positions, Math.max(target + 1, old * 2));
                Arrays.fill(positions, old, positions.length, -1);
            }
            positions[target] = i;
        }
    }

    private void grow() {
        int capacity = times.length * 2;
        times = Arrays.copyOf(times, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        targets = Arrays.copyOf(targets, capacity);
    }
}
