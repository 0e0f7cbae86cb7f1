package io.servesim.core.engine;

import java.util.Arrays;

/**
 * Max–min fair rates of flows that share links (progressive filling, as in Splitwise's and network simulators' link
 * models): every flow's rate grows at the same pace until a link it crosses is full; the flows on that link keep the
 * rate they reached, the others grow on with what is left. The result: no flow can get more without taking from one
 * with less or equal. A flow that crosses no link (a GPU to itself) gets an infinite rate.
 *
 * <p>O(bottlenecks · (links used + Σ flow lengths)); scratch arrays are kept, so a run allocates nothing once they
 * have grown.
 */
final class FairShare {
    private final double[] capacity;
    private double[] left;
    private int[] unfrozen;
    private int[] used = new int[16];
    private boolean[] frozen = new boolean[16];

    /** @param capacityBytesPerSecond the capacity of each link, by link id */
    FairShare(double[] capacityBytesPerSecond) {
        this.capacity = capacityBytesPerSecond.clone();
        this.left = new double[capacity.length];
        this.unfrozen = new int[capacity.length];
    }

    /**
     * Fills {@code rates[f]}, bytes/s, for flows f in [0, n), flow f crossing the links {@code links[f]}.
     */
    void rates(int n, int[][] links, double[] rates) {
        if (frozen.length < n) {
            frozen = new boolean[Math.max(n, 2 * frozen.length)];
        }
        int usedCount = 0;
        int active = 0;
        for (int f = 0; f < n; f++) {
            rates[f] = 0;
            frozen[f] = links[f].length == 0;
            if (frozen[f]) {
                rates[f] = Double.POSITIVE_INFINITY;
                continue;
            }
            active++;
            for (int l : links[f]) {
                if (unfrozen[l] == 0) {
                    if (usedCount == used.length) {
                        used = Arrays.copyOf(used, 2 * usedCount);
                    }
                    used[usedCount++] = l;
                    left[l] = capacity[l];
                }
                unfrozen[l]++;
            }
        }
        double level = 0;
        while (active > 0) {
            int bottleneck = -1;
            double share = Double.POSITIVE_INFINITY;
            for (int i = 0; i < usedCount; i++) {
                int l = used[i];
                if (unfrozen[l] > 0 && left[l] / unfrozen[l] < share) {
                    share = left[l] / unfrozen[l];
                    bottleneck = l;
                }
            }
            share = Math.max(0, share);
            level += share;
            for (int i = 0; i < usedCount; i++) {
                int l = used[i];
                left[l] -= share * unfrozen[l];
            }
            for (int f = 0; f < n; f++) {
                if (!frozen[f] && crosses(links[f], bottleneck)) {
                    frozen[f] = true;
                    rates[f] = level;
                    active--;
                    for (int l : links[f]) {
                        unfrozen[l]--;
                    }
                }
            }
        }
        for (int i = 0; i < usedCount; i++) {
            unfrozen[used[i]] = 0;
        }
    }

    private static boolean crosses(int[] path, int link) {
        for (int l : path) {
            if (l == link) {
                return true;
            }
        }
        return false;
    }
}
