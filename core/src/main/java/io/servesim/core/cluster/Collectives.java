package io.servesim.core.cluster;

import io.servesim.core.model.TransferCost;

/**
 * Costs of the communication patterns of tensor, pipeline and expert parallelism on a {@link Topology}
 * (see {@code docs/parallelism.md}). Bandwidths are GB/s = 10⁹ bytes/s, latencies µs; results are seconds.
 */
public final class Collectives {

    private Collectives() {
    }

    /**
     * Ring all-reduce over the GPUs {@code group} (in this order, the last one linked back to the first):
     * <pre>
     *   T(bytes) = 2(t−1) · maxLatency + 2(t−1)/t · bytes / minBandwidth
     * </pre>
     * where the ring's t consecutive routes group[i] → group[(i+1) mod t] give maxLatency (the largest route latency,
     * i.e. per-hop latency · hops on uniform links, in seconds) and minBandwidth (the smallest route bottleneck, bytes/s):
     * 2(t−1) steps (reduce-scatter then all-gather), each moving bytes/t on every route at once and waiting for the
     * slowest one. Routes that share a link are not slowed down (no contention). {@link TransferCost#NONE} when t = 1.
     */
    public static TransferCost ringAllReduce(Topology topology, int[] group) {
        int t = group.length;
        if (t <= 1) {
            return TransferCost.NONE;
        }
        double maxLatencyMicros = 0;
        double minBandwidthGBps = Double.POSITIVE_INFINITY;
        for (int i = 0; i < t; i++) {
            Route route = topology.route(group[i], group[(i + 1) % t]);
            maxLatencyMicros = Math.max(maxLatencyMicros, route.latencyMicros());
            minBandwidthGBps = Math.min(minBandwidthGBps, route.bottleneckGBps());
        }
        double steps = 2.0 * (t - 1);
        return new TransferCost(steps * maxLatencyMicros * 1e-6, steps / t / (minBandwidthGBps * 1e9));
    }

    /**
     * Whether every two GPUs of {@code group} are joined by a direct link of at least {@code minGBps}: one NVSwitch node
     * (or a full mesh) at the GPUs' NVLink bandwidth, the setting in which all-reduce times are measured.
     */
    public static boolean directlyLinked(Topology topology, int[] group, double minGBps) {
        for (int a : group) {
            for (int b : group) {
                Route route = a == b ? null : topology.route(a, b);
                if (route != null && (route.hops() != 1 || route.bottleneckGBps() < minGBps)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Seconds of a ring all-reduce of {@code bytes} over {@code group}: {@code ringAllReduce(topology, group).seconds(bytes)}. */
    public static double ringAllReduceSeconds(Topology topology, int[] group, double bytes) {
        return ringAllReduce(topology, group).seconds(bytes);
    }

    /**
     * All-to-all over the ranks of {@code groups}: rank j is the GPUs {@code groups[j]} (each rank's GPUs in the same
     * order), and the exchange runs between the i-th GPUs of all ranks at once. For a message of {@code bytes} in all
     * — spread evenly over the n ranks as senders and as receivers — each rank sends bytes/n² to each of the other
     * n − 1, in n − 1 pairwise steps:
     * <pre>
     *   T(bytes) = (n−1) · maxLatency + (n−1)/n² · bytes / minBandwidth
     * </pre>
     * over every route between two ranks (largest latency, smallest bottleneck). Routes that share a link are not
     * slowed down (no contention). {@link TransferCost#NONE} for one rank.
     */
    public static TransferCost allToAll(Topology topology, int[][] groups) {
        int n = groups.length;
        if (n <= 1) {
            return TransferCost.NONE;
        }
        double maxLatencyMicros = 0;
        double minBandwidthGBps = Double.POSITIVE_INFINITY;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int i = 0; a != b && i < groups[a].length; i++) {
                    Route route = topology.route(groups[a][i], groups[b][i]);
                    maxLatencyMicros = Math.max(maxLatencyMicros, route.latencyMicros());
                    minBandwidthGBps = Math.min(minBandwidthGBps, route.bottleneckGBps());
                }
            }
        }
        double steps = n - 1.0;
        return new TransferCost(steps * maxLatencyMicros * 1e-6, steps / ((double) n * n) / (minBandwidthGBps * 1e9));
    }

    /**
     * Point-to-point send from GPU {@code from} to GPU {@code to}: T(bytes) = route latency + bytes / route bottleneck
     * bandwidth ({@link TransferCost#NONE} from a GPU to itself).
     */
    public static TransferCost pointToPoint(Topology topology, int from, int to) {
        if (from == to) {
            return TransferCost.NONE;
        }
        Route route = topology.route(from, to);
        return new TransferCost(route.latencyMicros() * 1e-6, 1 / (route.bottleneckGBps() * 1e9));
    }
}
