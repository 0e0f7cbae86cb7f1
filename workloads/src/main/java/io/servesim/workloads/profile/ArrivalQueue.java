package io.servesim.workloads.profile;

import java.util.Arrays;

/**
 * A binary min-heap of pending arrivals over primitive arrays, ordered by time, then by an order key
 * (FIFO sequence or profile index) so that ties are broken deterministically. Each entry carries an int slot.
 */
public final class ArrivalQueue {
    private double[] times;
    private long[] orders;
    private int[] slots;
    private int size;

    public ArrivalQueue(int initialCapacity) {
        int capacity = Math.max(1, initialCapacity);
        times = new double[capacity];
        orders = new long[capacity];
        slots = new int[capacity];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time, or +∞ when empty. */
    public double peekTime() {
        return size == 0 ? Double.POSITIVE_INFINITY : times[0];
    }

    public void push(double time, long order, int slot) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            orders = Arrays.copyOf(orders, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, order, times[parent], orders[parent])) {
                break;
            }
            set(i, times[parent], orders[parent], slots[parent]);
            i = parent;
        }
        set(i, time, order, slot);
    }

    /** Removes the earliest entry and returns its slot; the queue must not be empty. */
    public int pop() {
        int top = slots[0];
        size--;
        double time = times[size];
        long order = orders[size];
        int slot = slots[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(times[child + 1], orders[child + 1], times[child], orders[child])) {
                child++;
            }
            if (!before(times[child], orders[child], time, order)) {
                break;
            }
            set(i, times[child], orders[child], slots[child]);
            i = child;
        }
        if (size > 0) {
            set(i, time, order, slot);
        }
        return top;
    }

    private static boolean before(double time, long order, double otherTime, long otherOrder) {
        return time < otherTime || (time == otherTime && order < otherOrder);
    }

    private void set(int i, double time, long order, int slot) {
        times[i] = time;
        orders[i] = order;
        slots[i] = slot;
    }
}
