package io.servesim.core.cluster;

/**
 * The path a message takes from one GPU to another: the shortest by hops, ties broken by latency, then by the
 * wider bottleneck.
 *
 * @param hops              links crossed (0 from a GPU to itself)
 * @param latencyMicros     sum of the links' latencies, µs
 * @param bottleneckGBps    smallest bandwidth along the path, GB/s (infinite for a GPU to itself)
 */
public record Route(int hops, double latencyMicros, double bottleneckGBps) {
}
