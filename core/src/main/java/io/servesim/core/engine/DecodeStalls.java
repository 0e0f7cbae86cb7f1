package io.servesim.core.engine;

import io.servesim.core.model.DecodeRunTime;
import io.servesim.core.stats.LogHistogram;

import java.util.Arrays;

/**
 * Decoding sequences held back by prefill-only iterations ({@code engine.mixed_batches: false}), grouped by the
 * time of their last token: the sequences decoding when the first such iteration started, then those whose prefill
 * each such iteration completed. Their next token comes at the end of the first decode iteration after the stall,
 * so its inter-token time is measured from each group's time, not just that iteration's duration. O(1) per
 * iteration; the arrays grow once and are reused.
 */
final class DecodeStalls {
    private double[] times = new double[8];
    private int[] counts = new int[8];
    private int size;
    private long total;

    boolean active() {
        return size > 0;
    }

    /** {@code count} decoding sequences produced their last token at {@code time} and now wait. */
    void add(double time, int count) {
        if (count <= 0) {
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        times[size] = time;
        counts[size] = count;
        size++;
        total += count;
    }

    /**
     * The first decode iteration after the stall ended at {@code tokenTime} with {@code sequences} decoding: adds
     * one inter-token time per sequence and forgets the groups. Sequences preempted during the stall were the
     * latest admitted, so the newest groups lose them first.
     */
    void drainInto(LogHistogram histogram, double tokenTime, int sequences) {
        long excess = Math.max(0, total - sequences);
        for (int i = size - 1; i >= 0 && excess > 0; i--) {
            int drop = (int) Math.min(counts[i], excess);
            counts[i] -= drop;
            excess -= drop;
        }
        for (int i = 0; i < size; i++) {
            histogram.add(DecodeRunTime.picos(tokenTime - times[i]), counts[i]);
        }
        clear();
    }

    /** No sequence waits any more (every one was preempted): the groups are forgotten. */
    void clear() {
        size = 0;
        total = 0;
    }
}
