package io.servesim.core.engine;

import java.util.Arrays;

/**
 * Min-heap of (finishing iteration, request) pairs over primitive arrays. Ties on the iteration pop
 * in request order, so completions within one iteration are processed deterministically.
 * Entries are never removed from the middle: a preempted sequence leaves a stale entry that the
 * owner recognises (its key no longer matches the request's current finishing iteration) and skips.
 */
final class FinishHeap {
    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long minKey() {
        return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    int minValue() {
        return values[0];
    }

    void clear() {
        size = 0;
    }

    void push(long key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(key, value, keys[parent], values[parent])) {
                break;
            }
            keys[i] = keys[parent];
            values[i] = values[parent];
            i = parent;
        }
        keys[i] = key;
        values[i] = value;
    }

    void pop() {
        int n = --size;
        if (n == 0) {
            return;
        }
        long key = keys[n];
        int value = values[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && less(keys[right], values[right], keys[child], values[child])) {
                child = right;
            }
            if (!less(keys[child], values[child], key, value)) {
                break;
            }
            keys[i] = keys[child];
            values[i] = values[child];
            i = child;
        }
        keys[i] = key;
        values[i] = value;
    }

    private static boolean less(long k1, int v1, long k2, int v2) {
        return k1 < k2 || (k1 == k2 && v1 < v2);
    }
}
