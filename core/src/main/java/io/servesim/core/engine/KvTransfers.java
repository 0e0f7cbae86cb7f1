package io.servesim.core.engine;


import java.util.Arrays;

/**
 * The KV caches in flight from prefill replicas to decode replicas over the cluster's links. A transfer of B bytes
 * from a replica of g_P GPUs to one of g_D GPUs is n = max(g_P, g_D) flows of B / n bytes, flow k from the prefill
 * replica's GPU k mod g_P to the decode replica's GPU k mod g_D (each GPU sends or receives the KV heads and layers it
 * holds). Flows share the directed links of their routes max–min fairly ({@link FairShare}), their rates recomputed
 * whenever a flow starts or ends; a transfer is delivered its route's latency after its last byte has left (the
 * largest latency of its flows). Alone on its route, B bytes take latency + B / bandwidth; k transfers that start
 * together on one link take latency + k · B / bandwidth each.
 *
 * <p>One pending event stands for all transfers: {@link #nextEventTime} is the earliest flow end or delivery.
 * State is in primitive arrays indexed by flow and transfer slots, reused: nothing is allocated per transfer once
 * they have grown.
 */
final class KvTransfers {
    /** What happens to a delivered transfer. */
    interface Delivery {
        void delivered(int request, double t);
    }

    /** A flow with fewer bytes left than its rate moves in this long is done (absorbs rounding of its end time). */
    private static final double DONE_SECONDS = 1e-12;

    private final LinkNetwork topology;
    private final FairShare share;
    private final Delivery delivery;
    private final int gpus;
    private final int[][] routes;

    private int flows;
    private int[][] flowLinks = new int[16][];
    private int[] flowTransfer = new int[16];
    private double[] flowBytesLeft = new double[16];
    private double[] flowRate = new double[16];

    private int[] transferRequest = new int[16];
    private int[] transferFlowsLeft = new int[16];
    private double[] transferLatency = new double[16];
    private double[] transferDeliverAt = new double[16];
    private boolean[] transferBusy = new boolean[16];
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slots;

    private double updatedAt;
    private long started;
    private double bytesSent;

    KvTransfers(LinkNetwork topology, Delivery delivery) {
        this.topology = topology;
        this.delivery = delivery;
        this.gpus = topology.gpuCount();
        this.routes = new int[gpus * gpus][];
        double[] capacity = new double[topology.directedLinkCount()];
        for (int l = 0; l < capacity.length; l++) {
            capacity[l] = topology.directedLinkGBps(l) * 1e9;
        }
        this.share = new FairShare(capacity);
    }

    /** Starts moving {@code bytes} of {@code request}'s KV from the GPUs {@code from} to the GPUs {@code to} at {@code t}. */
    void start(int request, int[] from, int[] to, double bytes, double t) {
        advanceTo(t);
        int slot = takeSlot();
        int n = Math.max(from.length, to.length);
        double latency = 0;
        for (int k = 0; k < n; k++) {
            int a = from[k % from.length];
            int b = to[k % to.length];
            latency = Math.max(latency, topology.routeLatencyMicros(a, b) * 1e-6);
            addFlow(slot, route(a, b), bytes / n);
        }
        transferRequest[slot] = request;
        transferFlowsLeft[slot] = n;
        transferLatency[slot] = latency;
        transferDeliverAt[slot] = Double.NaN;
        started++;
        bytesSent += bytes;
        share.rates(flows, flowLinks, flowRate);
        finishFlows(t);
    }

    /** Earliest flow end or delivery; +∞ when nothing is in flight. */
    double nextEventTime() {
        double next = Double.POSITIVE_INFINITY;
        for (int f = 0; f < flows; f++) {
            next = Math.min(next, updatedAt + flowBytesLeft[f] / flowRate[f]);
        }
        for (int s = 0; s < slots; s++) {
            if (transferBusy[s] && transferFlowsLeft[s] == 0) {
                next = Math.min(next, transferDeliverAt[s]);
            }
        }
        return next;
    }

    /** The transfers' event at {@code t}: flows that end now end, transfers due now are delivered. */
    void onEvent(double t) {
        advanceTo(t);
        finishFlows(t);
        for (int s = 0; s < slots; s++) {
            if (transferBusy[s] && transferFlowsLeft[s] == 0 && transferDeliverAt[s] <= t) {
                transferBusy[s] = false;
                freeSlots[freeCount++] = s;
                delivery.delivered(transferRequest[s], t);
            }
        }
    }

    /** Transfers started so far. */
    long started() {
        return started;
    }

    /** Bytes of the transfers started so far. */
    double bytesSent() {
        return bytesSent;
    }

    private void advanceTo(double t) {
        double dt = t - updatedAt;
        if (dt > 0) {
            for (int f = 0; f < flows; f++) {
                flowBytesLeft[f] -= flowRate[f] * dt;
            }
        }
        updatedAt = t;
    }

    /** Removes the flows that are done at {@code t}; a transfer whose last flow ended is due its latency later. */
    private void finishFlows(double t) {
        boolean changed = false;
        int kept = 0;
        for (int f = 0; f < flows; f++) {
            if (flowBytesLeft[f] <= flowRate[f] * DONE_SECONDS) {
                int slot = flowTransfer[f];
                if (--transferFlowsLeft[slot] == 0) {
                    transferDeliverAt[slot] = t + transferLatency[slot];
                }
                changed = true;
                continue;
            }
            flowLinks[kept] = flowLinks[f];
            flowTransfer[kept] = flowTransfer[f];
            flowBytesLeft[kept] = flowBytesLeft[f];
            flowRate[kept] = flowRate[f];
            kept++;
        }
        flows = kept;
        if (changed) {
            share.rates(flows, flowLinks, flowRate);
        }
    }

    private int[] route(int a, int b) {
        int i = a * gpus + b;
        if (routes[i] == null) {
            routes[i] = topology.routeLinks(a, b);
        }
        return routes[i];
    }

    private void addFlow(int slot, int[] links, double bytes) {
        if (flows == flowLinks.length) {
            int n = 2 * flows;
            flowLinks = Arrays.copyOf(flowLinks, n);
            flowTransfer = Arrays.copyOf(flowTransfer, n);
            flowBytesLeft = Arrays.copyOf(flowBytesLeft, n);
            flowRate = Arrays.copyOf(flowRate, n);
        }
        flowLinks[flows] = links;
        flowTransfer[flows] = slot;
        flowBytesLeft[flows] = bytes;
        flows++;
    }

    private int takeSlot() {
        if (freeCount > 0) {
            int slot = freeSlots[--freeCount];
            transferBusy[slot] = true;
            return slot;
        }
        if (slots == transferRequest.length) {
            int n = 2 * slots;
            transferRequest = Arrays.copyOf(transferRequest, n);
            transferFlowsLeft = Arrays.copyOf(transferFlowsLeft, n);
            transferLatency = Arrays.copyOf(transferLatency, n);
            transferDeliverAt = Arrays.copyOf(transferDeliverAt, n);
            transferBusy = Arrays.copyOf(transferBusy, n);
            freeSlots = Arrays.copyOf(freeSlots, n);
        }
        transferBusy[slots] = true;
        return slots++;
    }
}
