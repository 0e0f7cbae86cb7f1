package io.servesim.core.cluster;

import java.util.List;

/**
 * The JSON form of a topology: {@code {"nodes": [{"name": "gpu0", "kind": "gpu"}, ...],
 * "links": [{"from": "gpu0", "to": "switch0", "bandwidth_gbps": 50, "latency_micros": 5}, ...]}}.
 * GPUs are numbered in the order they appear among the nodes.
 */
public record TopologyFile(List<TopologyNode> nodes, List<TopologyLink> links) {
    public TopologyFile {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        links = links == null ? List.of() : List.copyOf(links);
    }
}
