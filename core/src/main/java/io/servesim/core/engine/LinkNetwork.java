package io.servesim.core.engine;

/**
 * The links KV transfers cross, as {@link KvTransfers} sees a cluster network ({@code cluster.Topology} is one):
 * directed links with their bandwidth, and the route between every pair of GPUs as a list of them.
 */
public interface LinkNetwork {
    int gpuCount();

    /** Directed links (each direction of a link is one). */
    int directedLinkCount();

    /** Bandwidth of a directed link, GB/s. */
    double directedLinkGBps(int directed);

    /** The directed links the route from GPU {@code from} to GPU {@code to} crosses, in order. */
    int[] routeLinks(int from, int to);

    /** One-way latency of that route, µs. */
    double routeLatencyMicros(int from, int to);
}
