package io.servesim.core.sched;

import java.util.Arrays;

/**
 * A double-ended FIFO of request ids over a primitive ring buffer: what a scheduler's waiting
 * queue is made of. Preempted requests go back to the front.
 */
public final class RequestQueue {
    private int[] items = new int[16];
    private int head;
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void addLast(int request) {
        ensureCapacity();
        items[(head + size) & (items.length - 1)] = request;
        size++;
    }

    public void addFirst(int request) {
        ensureCapacity();
        head = (head - 1) & (items.length - 1);
        items[head] = request;
        size++;
    }

    /** The first request; the queue must not be empty. */
    public int peekFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty queue");
        }
        return items[head];
    }

    public int pollFirst() {
        int request = peekFirst();
        head = (head + 1) & (items.length - 1);
        size--;
        return request;
    }

    /**
     * Removes {@code request}, searching from the front (where timed-out requests are); false if it is not queued.
     * O(position).
     */
    public boolean remove(int request) {
        for (int i = 0; i < size; i++) {
            if (items[(head + i) & (items.length - 1)] == request) {
                for (int j = i; j > 0; j--) {
                    items[(head + j) & (items.length - 1)] = items[(head + j - 1) & (items.length - 1)];
                }
                head = (head + 1) & (items.length - 1);
                size--;
                return true;
            }
        }
        return false;
    }

    /** The i-th request from the front (0 = first). */
    public int get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return items[(head + i) & (items.length - 1)];
    }

    private void ensureCapacity() {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) & (items.length - 1)];
            }
            items = grown;
            head = 0;
        }
    }

    @Override
    public String toString() {
        int[] copy = new int[size];
        for (int i = 0; i < size; i++) {
            copy[i] = get(i);
        }
        return Arrays.toString(copy);
    }
}
