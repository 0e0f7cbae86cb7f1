package io.servesim.core.memory;

import java.util.Arrays;

/**
 * A set of the ints 0 … n−1 (KV block slots) in the order they joined it, oldest first, without objects: a ring of
 * entries in the order of {@link #add}, and for each member the ring index of its entry. {@link #remove} only
 * forgets that index: the entry goes stale and {@link #poll} skips it when it reaches the head. So adding and
 * removing touch one array element each, where a doubly-linked list rewrites its neighbours' links, and polling the
 * oldest member costs O(1) amortised. The ring has room for at least 2n entries; when it fills, the live ones (at
 * most n) are moved together in order.
 */
final class LruQueue {
    private static final int NONE = -1;
    private final int[] ring;
    private final int mask;
    /** Ring index of each member's entry; {@link #NONE} for a non-member. */
    private final int[] position;
    private int head;
    /** Entries from {@link #head} on, live and stale. */
    private int entries;
    private int size;

    LruQueue(int n) {
        int capacity = Integer.highestOneBit(Math.max(2, 2 * n) * 2 - 1);
        ring = new int[capacity];
        mask = capacity - 1;
        position = new int[n];
        Arrays.fill(position, NONE);
    }

    /** Members. */
    int size() {
        return size;
    }

    /** {@code x}, not a member, joins as the most recent member. */
    void add(int x) {
        if (entries == ring.length) {
            compact();
        }
        int i = (head + entries) & mask;
        ring[i] = x;
        position[x] = i;
        entries++;
        size++;
    }

    /** {@code x}, a member, leaves. */
    void remove(int x) {
        position[x] = NONE;
        size--;
    }

    /** Removes and returns the oldest member. */
    int poll() {
        while (true) {
            if (entries == 0) {
                throw new IllegalStateException("no member left to poll");
            }
            int i = head;
            int x = ring[i];
            head = (i + 1) & mask;
            entries--;
            if (position[x] == i) {
                position[x] = NONE;
                size--;
                return x;
            }
        }
    }

    /** Drops the stale entries, keeping the live ones in order from the head. */
    private void compact() {
        int write = head;
        for (int k = 0, read = head; k < entries; k++, read = (read + 1) & mask) {
            int x = ring[read];
            if (position[x] == read) {
                ring[write] = x;
                position[x] = write;
                write = (write + 1) & mask;
            }
        }
        entries = size;
    }
}
