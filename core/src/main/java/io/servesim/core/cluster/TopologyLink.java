package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;

/**
 * A bidirectional link between two nodes, with the given bandwidth in each direction.
 *
 * @param from          name of one end
 * @param to            name of the other end
 * @param bandwidthGBps bandwidth per direction, GB/s (10⁹ bytes/s)
 * @param latencyMicros one-way latency of a message crossing the link, µs
 */
public record TopologyLink(String from, String to, double bandwidthGBps, double latencyMicros) {
    public TopologyLink {
        ConfigException.require(from != null && !from.isBlank(), "from", "must be a node name", from);
        ConfigException.require(to != null && !to.isBlank(), "to", "must be a node name", to);
        ConfigException.require(!from.equals(to), "to", "must differ from 'from' (" + from + ")", to);
        ConfigException.require(bandwidthGBps > 0, "bandwidth_gbps", "must be > 0", bandwidthGBps);
        ConfigException.require(latencyMicros >= 0, "latency_micros", "must be >= 0", latencyMicros);
    }
}
