package io.servesim.core.engine;

/**
 * The p stages of one pipeline-parallel replica as servers in series, shared by the replica's virtual engines.
 *
 * <p>An iteration ready at t₀ passes the stages in order: stage s starts at max(arrival_s, freeAt_s), computes
 * for its stage seconds until end_s, then sends the activations to stage s+1 in τ seconds; arrival_0 = t₀,
 * arrival_{s+1} = end_s + τ, and the iteration ends at end_{p−1}. The sender's GPUs are held until the send
 * completes (vLLM's workers send intermediate tensors with a blocking send), so freeAt_s = end_s + τ for
 * s &lt; p−1 and freeAt_{p−1} = end_{p−1}. Each stage serves iterations in the order they were reserved (FIFO,
 * no backfilling of idle gaps). With one iteration in flight the stage times and transfers add up; with several,
 * the slowest stage (plus its send) sets the rate, and bubbles appear wherever a stage waits for its input.
 *
 * <p>Reservations are shared mutable state, so an iteration is reserved exactly once, when its virtual engine
 * forms it; virtual engines on a pipeline therefore run one iteration per event (no fast-forwarding).
 * Statistics are committed when an iteration ends, like a replica's, so iterations still in flight at the
 * horizon are not counted.
 */
final class Pipeline {
    private final double[] freeAt;
    private final double[] busySeconds;
    private final double[] communicationSeconds;
    private int usedKvBlocks;
    private int peakUsedKvBlocks;

    Pipeline(int stages) {
        if (stages < 2) {
            throw new IllegalArgumentException("a pipeline has at least 2 stages, got " + stages);
        }
        freeAt = new double[stages];
        busySeconds = new double[stages];
        communicationSeconds = new double[stages];
    }

    int stages() {
        return freeAt.length;
    }

    /**
     * Reserves every stage for an iteration ready at {@code readyTime} whose stage s computes for
     * {@code stageSeconds[s]} and sends for {@code transferSeconds}; returns the time the last stage finishes.
     */
    double reserve(double readyTime, double[] stageSeconds, double transferSeconds) {
        int last = freeAt.length - 1;
        double arrival = readyTime;
        double end = readyTime;
        for (int s = 0; s <= last; s++) {
            end = Math.max(arrival, freeAt[s]) + stageSeconds[s];
            arrival = end + transferSeconds;
            freeAt[s] = s == last ? end : arrival;
        }
        return end;
    }

    /**
     * Adds an iteration that ended to the stages' busy time: stage s was busy for its stage seconds plus,
     * except on the last stage, the send; its communication is its all-reduces plus that send.
     */
    void commit(double[] stageSeconds, double[] stageCommunicationSeconds, double transferSeconds) {
        int last = freeAt.length - 1;
        for (int s = 0; s <= last; s++) {
            double send = s == last ? 0 : transferSeconds;
            busySeconds[s] += stageSeconds[s] + send;
            communicationSeconds[s] += stageCommunicationSeconds[s] + send;
        }
    }

    /** KV blocks taken ({@code delta} > 0) or freed (&lt; 0) by one of the virtual engines. */
    void addUsedKvBlocks(int delta) {
        usedKvBlocks += delta;
        if (usedKvBlocks > peakUsedKvBlocks) {
            peakUsedKvBlocks = usedKvBlocks;
        }
    }

    double busySeconds(int stage) {
        return busySeconds[stage];
    }

    double communicationSeconds(int stage) {
        return communicationSeconds[stage];
    }

    int peakUsedKvBlocks() {
        return peakUsedKvBlocks;
    }
}
