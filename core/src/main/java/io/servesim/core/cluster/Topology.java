package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.LinkNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster network: GPU and switch nodes joined by bidirectional links, with the route between every pair of GPUs
 * precomputed (shortest by hops, then by latency, then widest bottleneck; Dijkstra from each GPU). Bandwidths are in
 * GB/s (10⁹ bytes/s), latencies in µs. GPUs are numbered 0 … n−1 in the order of their nodes. Immutable, so one
 * instance may serve parallel runs. See {@code docs/parallelism.md}.
 */
public final class Topology implements LinkNetwork {

    private final String description;
    private final List<TopologyNode> nodes;
    private final List<TopologyLink> links;
    private final int gpuCount;
    private final int[] routeHops;
    private final double[] routeLatencyMicros;
    private final double[] routeBottleneckGBps;
    /** Per source GPU and node: the directed link (2 · link + direction) by which its route reaches the node, or −1. */
    private final int[][] arrivingLink;
    /** Per source GPU and node: the node its route comes from. */
    private final int[][] previousNode;
    private final int[] gpuNodes;

    private Topology(String description, List<TopologyNode> nodes, List<TopologyLink> links) {
        this.description = description;
        this.nodes = List.copyOf(nodes);
        this.links = List.copyOf(links);
        Map<String, Integer> index = indexNodes(this.nodes);
        this.gpuNodes = this.nodes.stream().filter(TopologyNode::isGpu)
                .mapToInt(node -> index.get(node.name())).toArray();
        ConfigException.require(gpuNodes.length > 0, "nodes", "must contain at least one node of kind 'gpu'",
                this.nodes.size() + " nodes without a gpu");
        List<List<int[]>> adjacency = adjacency(this.nodes, this.links, index);
        this.gpuCount = gpuNodes.length;
        this.routeHops = new int[gpuCount * gpuCount];
        this.routeLatencyMicros = new double[gpuCount * gpuCount];
        this.routeBottleneckGBps = new double[gpuCount * gpuCount];
        this.arrivingLink = new int[gpuCount][];
        this.previousNode = new int[gpuCount][];
        for (int g = 0; g < gpuCount; g++) {
            shortestPathsFrom(g, gpuNodes, adjacency);
        }
    }

    /** A topology of the given nodes and links; a link to an unknown node or an unreachable GPU is a {@link ConfigException}. */
    public static Topology of(String description, List<TopologyNode> nodes, List<TopologyLink> links) {
        return new Topology(description, nodes, links);
    }

    /** Reads a topology from a JSON file of nodes and links ({@link TopologyFile}). */
    public static Topology fromJson(Path file) {
        TopologyFile spec = ConfigMapper.read(file, TopologyFile.class);
        return of(file.getFileName().toString(), spec.nodes(), spec.links());
    }

    /** {@code gpus} GPUs, each with a direct link to every other. */
    public static Topology fullMesh(int gpus, double bandwidthGBps, double latencyMicros) {
        requireGpus(gpus);
        List<TopologyLink> links = new ArrayList<>();
        for (int a = 0; a < gpus; a++) {
            for (int b = a + 1; b < gpus; b++) {
                links.add(link(a, b, bandwidthGBps, latencyMicros));
            }
        }
        return of(String.format("full_mesh(%d GPUs, %s GB/s, %s µs)", gpus, bandwidthGBps, latencyMicros),
                gpuNodes(gpus), links);
    }

    /** {@code gpus} GPUs in a ring: GPU i is linked to GPU i+1 mod n. */
    public static Topology ring(int gpus, double bandwidthGBps, double latencyMicros) {
        requireGpus(gpus);
        List<TopologyLink> links = new ArrayList<>();
        addCirculantLinks(links, gpus, 1, bandwidthGBps, latencyMicros);
        return of(String.format("ring(%d GPUs, %s GB/s, %s µs)", gpus, bandwidthGBps, latencyMicros),
                gpuNodes(gpus), links);
    }

    /**
     * A ring of main links (GPU i to i+1 mod n at {@code mainGBps}) plus cross links at {@code crossGBps}, so that
     * every GPU reaches every other in at most 2 hops. With k = ⌈√n⌉ and h = ⌊k/2⌋, GPU i is also linked to
     * i ± 2, …, i ± h (short chords) and to i ± k, i ± 2k, … while the jump q·k − h ≤ n/2 (long chords): any distance
     * r ≤ n/2 around the ring is q·k + s with |s| ≤ h, one long chord and one short one. A GPU has about 2√n links.
     */
    public static Topology ringWithCrossConnections(int gpus, double mainGBps, double crossGBps, double latencyMicros) {
        requireGpus(gpus);
        List<TopologyLink> links = new ArrayList<>();
        addCirculantLinks(links, gpus, 1, mainGBps, latencyMicros);
        for (int jump : crossJumps(gpus)) {
            addCirculantLinks(links, gpus, jump, crossGBps, latencyMicros);
        }
        return of(String.format("ring_cross(%d GPUs, main %s GB/s, cross %s GB/s, %s µs)",
                gpus, mainGBps, crossGBps, latencyMicros), gpuNodes(gpus), links);
    }

    /**
     * Nodes of {@code gpusPerNode} GPUs (the last may have fewer) fully connected inside a node by NVLink-class links;
     * with more than one node, every GPU also has an InfiniBand-class link (its own NIC) to one non-blocking switch,
     * so GPUs of different nodes are 2 hops apart over the switch.
     */
    public static Topology multiNode(int gpus, int gpusPerNode, double nvlinkGBps, double nvlinkLatencyMicros,
                                     double interNodeGBps, double interNodeLatencyMicros) {
        requireGpus(gpus);
        ConfigException.require(gpusPerNode >= 1, "gpus_per_node", "must be >= 1", gpusPerNode);
        List<TopologyNode> nodes = gpuNodes(gpus);
        List<TopologyLink> links = new ArrayList<>();
        for (int a = 0; a < gpus; a++) {
            for (int b = a + 1; b < gpus && b / gpusPerNode == a / gpusPerNode; b++) {
                links.add(link(a, b, nvlinkGBps, nvlinkLatencyMicros));
            }
        }
        if (gpus > gpusPerNode) {
            TopologyNode fabric = TopologyNode.networkSwitch(0);
            nodes.add(fabric);
            for (int g = 0; g < gpus; g++) {
                links.add(new TopologyLink(TopologyNode.gpu(g).name(), fabric.name(), interNodeGBps, interNodeLatencyMicros));
            }
        }
        return of(String.format("multi_node(%d GPUs, %d per node, intra %s GB/s, inter %s GB/s)",
                gpus, gpusPerNode, nvlinkGBps, interNodeGBps), nodes, links);
    }

    /** Number of GPUs. */
    @Override
    public int gpuCount() {
        return gpuCount;
    }

    /** The route from GPU {@code from} to GPU {@code to}. */
    public Route route(int from, int to) {
        int i = pairIndex(from, to);
        return new Route(routeHops[i], routeLatencyMicros[i], routeBottleneckGBps[i]);
    }

    /**
     * The links the route from GPU {@code from} to GPU {@code to} crosses, in order, as directed links: link l of
     * {@link #links()} crossed from its {@code from} end to its {@code to} end is 2·l, the other way 2·l + 1 (each
     * direction has the link's bandwidth, shared by the transfers that cross it that way). Empty from a GPU to itself.
     */
    @Override
    public int[] routeLinks(int from, int to) {
        int[] path = new int[route(from, to).hops()];
        int node = gpuNodes[to];
        for (int i = path.length - 1; i >= 0; i--) {
            path[i] = arrivingLink[from][node];
            node = previousNode[from][node];
        }
        return path;
    }

    @Override
    public double routeLatencyMicros(int from, int to) {
        return routeLatencyMicros[pairIndex(from, to)];
    }

    /** Directed links: twice the links. */
    @Override
    public int directedLinkCount() {
        return 2 * links.size();
    }

    /** Bandwidth of directed link {@code directed} (see {@link #routeLinks}), GB/s. */
    @Override
    public double directedLinkGBps(int directed) {
        return links.get(directed / 2).bandwidthGBps();
    }

    /** The largest hop count between any two GPUs. */
    public int diameterHops() {
        return Arrays.stream(routeHops).max().orElse(0);
    }

    public List<TopologyNode> nodes() {
        return nodes;
    }

    public List<TopologyLink> links() {
        return links;
    }

    @Override
    public String toString() {
        return description;
    }

    // ---- construction ------------------------------------------------------------------------------------

    private static Map<String, Integer> indexNodes(List<TopologyNode> nodes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String name = nodes.get(i).name();
            ConfigException.require(index.putIfAbsent(name, i) == null,
                    "nodes[" + i + "].name", "must be unique", "'" + name + "' twice");
        }
        return index;
    }

    /** Per node, its links as {neighbour, directed link: 2 · link index, + 1 when crossed from its 'to' end}. */
    private static List<List<int[]>> adjacency(List<TopologyNode> nodes, List<TopologyLink> links,
                                               Map<String, Integer> index) {
        List<List<int[]>> adjacency = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            adjacency.add(new ArrayList<>());
        }
        for (int l = 0; l < links.size(); l++) {
            TopologyLink link = links.get(l);
            int a = endpoint(nodes, index, link.from(), "links[" + l + "].from");
            int b = endpoint(nodes, index, link.to(), "links[" + l + "].to");
            adjacency.get(a).add(new int[] {b, 2 * l});
            adjacency.get(b).add(new int[] {a, 2 * l + 1});
        }
        return adjacency;
    }

    private static int endpoint(List<TopologyNode> nodes, Map<String, Integer> index, String name, String field) {
        Integer node = index.get(name);
        if (node == null) {
            List<String> known = nodes.stream().map(TopologyNode::name).toList();
            throw new ConfigException(field + " names an unknown node '" + name + "'; known nodes: " + known);
        }
        return node;
    }

    /** Dijkstra over all nodes from GPU {@code source}, ordering paths by (hops, latency, −bottleneck). */
    private void shortestPathsFrom(int source, int[] gpuNodes, List<List<int[]>> adjacency) {
        int n = adjacency.size();
        int[] hops = new int[n];
        double[] latency = new double[n];
        double[] bottleneck = new double[n];
        boolean[] done = new boolean[n];
        int[] arriving = new int[n];
        int[] previous = new int[n];
        Arrays.fill(arriving, -1);
        Arrays.fill(previous, -1);
        Arrays.fill(hops, Integer.MAX_VALUE);
        int start = gpuNodes[source];
        hops[start] = 0;
        bottleneck[start] = Double.POSITIVE_INFINITY;
        for (int round = 0; round < n; round++) {
            int u = -1;
            for (int v = 0; v < n; v++) {
                if (!done[v] && hops[v] != Integer.MAX_VALUE
                        && (u < 0 || better(hops[v], latency[v], bottleneck[v], hops[u], latency[u], bottleneck[u]))) {
                    u = v;
                }
            }
            if (u < 0) {
                break;
            }
            done[u] = true;
            for (int[] edge : adjacency.get(u)) {
                int v = edge[0];
                TopologyLink link = links.get(edge[1] / 2);
                int h = hops[u] + 1;
                double lat = latency[u] + link.latencyMicros();
                double bw = Math.min(bottleneck[u], link.bandwidthGBps());
                if (!done[v] && (hops[v] == Integer.MAX_VALUE || better(h, lat, bw, hops[v], latency[v], bottleneck[v]))) {
                    hops[v] = h;
                    latency[v] = lat;
                    bottleneck[v] = bw;
                    arriving[v] = edge[1];
                    previous[v] = u;
                }
            }
        }
        arrivingLink[source] = arriving;
        previousNode[source] = previous;
        for (int g = 0; g < gpuCount; g++) {
            int node = gpuNodes[g];
            if (hops[node] == Integer.MAX_VALUE) {
                throw new ConfigException("topology " + description + ": gpu '" + nodes.get(node).name()
                        + "' cannot be reached from gpu '" + nodes.get(start).name() + "' (no path of links)");
            }
            int i = pairIndex(source, g);
            routeHops[i] = hops[node];
            routeLatencyMicros[i] = latency[node];
            routeBottleneckGBps[i] = bottleneck[node];
        }
    }

    private static boolean better(int hopsA, double latencyA, double bandwidthA, int hopsB, double latencyB, double bandwidthB) {
        if (hopsA != hopsB) {
            return hopsA < hopsB;
        }
        if (latencyA != latencyB) {
            return latencyA < latencyB;
        }
        return bandwidthA > bandwidthB;
    }

    private int pairIndex(int from, int to) {
        if (from < 0 || from >= gpuCount || to < 0 || to >= gpuCount) {
            throw new IndexOutOfBoundsException("GPU index out of [0, " + gpuCount + "): " + from + " -> " + to);
        }
        return from * gpuCount + to;
    }

    // ---- generated topologies --------------------------------------------------------------------------------

    private static void requireGpus(int gpus) {
        ConfigException.require(gpus >= 1, "gpus", "must be >= 1", gpus);
    }

    private static List<TopologyNode> gpuNodes(int gpus) {
        List<TopologyNode> nodes = new ArrayList<>(gpus + 1);
        for (int g = 0; g < gpus; g++) {
            nodes.add(TopologyNode.gpu(g));
        }
        return nodes;
    }

    private static TopologyLink link(int a, int b, double bandwidthGBps, double latencyMicros) {
        return new TopologyLink(TopologyNode.gpu(a).name(), TopologyNode.gpu(b).name(), bandwidthGBps, latencyMicros);
    }

    /** Links GPU i to GPU i + jump mod n for every i, once per unordered pair ({@code jump} in [1, n/2]). */
    private static void addCirculantLinks(List<TopologyLink> links, int gpus, int jump, double bandwidthGBps,
                                          double latencyMicros) {
        int starts = 2 * jump == gpus ? jump : gpus;
        for (int i = 0; i < starts && jump < gpus; i++) {
            links.add(link(i, (i + jump) % gpus, bandwidthGBps, latencyMicros));
        }
    }

    /** Distinct chord lengths in [2, n/2] of the cross-connected ring (see {@link #ringWithCrossConnections}). */
    static Set<Integer> crossJumps(int gpus) {
        int k = (int) Math.ceil(Math.sqrt(gpus));
        int half = k / 2;
        Set<Integer> jumps = new LinkedHashSet<>();
        for (int s = 2; s <= half; s++) {
            jumps.add(s);
        }
        for (int q = 1; q * k - half <= gpus / 2; q++) {
            jumps.add(Math.min(q * k % gpus, gpus - q * k % gpus));
        }
        jumps.removeIf(jump -> jump < 2 || 2 * jump > gpus);
        return jumps;
    }
}
