package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;
import io.servesim.core.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    @Test
    void ringRoutesGoTheShortWayAround() {
        // 8 GPUs in a ring: 0 → 5 is 3 hops backwards (0, 7, 6, 5), 3 × 1 µs.
        Topology ring = Topology.ring(8, 600, 1);
        assertThat(ring.route(0, 5)).isEqualTo(new Route(3, 3.0, 600));
        assertThat(ring.route(2, 3)).isEqualTo(new Route(1, 1.0, 600));
        assertThat(ring.route(4, 4).hops()).isZero();
        assertThat(ring.diameterHops()).isEqualTo(4);
        assertThat(ring.links()).hasSize(8);
    }

    @Test
    void fullMeshLinksEveryPairDirectly() {
        // 6 GPUs: 6 · 5 / 2 = 15 links, every route 1 hop.
        Topology mesh = Topology.fullMesh(6, 900, 1);
        assertThat(mesh.links()).hasSize(15);
        assertThat(mesh.diameterHops()).isEqualTo(1);
    }

    @Test
    void crossConnectedRingReachesEveryGpuInAtMostTwoHopsUpTo100Gpus() {
        for (int gpus = 1; gpus <= 100; gpus++) {
            Topology topology = Topology.ringWithCrossConnections(gpus, 600, 300, 1);
            assertThat(topology.diameterHops()).as("diameter with %d GPUs", gpus).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void crossConnectedRingKeepsMainLinksBetweenNeighbours() {
        // n = 8: k = ⌈√8⌉ = 3, h = 1, so no short chords and one long chord of length 3 at 300 GB/s.
        Topology topology = Topology.ringWithCrossConnections(8, 600, 300, 1);
        assertThat(Topology.crossJumps(8)).containsExactly(3);
        assertThat(topology.route(0, 1)).isEqualTo(new Route(1, 1.0, 600));
        assertThat(topology.route(0, 3)).isEqualTo(new Route(1, 1.0, 300));
        assertThat(topology.links()).hasSize(16);
    }

    @Test
    void multiNodeRoutesBetweenNodesThroughTheSwitch() {
        // 16 GPUs, 8 per node: 0 → 7 over NVLink (1 hop, 600 GB/s, 1 µs); 0 → 9 over the switch
        // (2 hops of 2.5 µs, bottleneck 50 GB/s).
        Topology topology = Topology.multiNode(16, 8, 600, 1, 50, 2.5);
        assertThat(topology.route(0, 7)).isEqualTo(new Route(1, 1.0, 600));
        assertThat(topology.route(0, 9)).isEqualTo(new Route(2, 5.0, 50));
        assertThat(topology.gpuCount()).isEqualTo(16);
    }

    @Test
    void aSpecBuildsTheTopologyOfEachGpuTypeAndCountItIsAskedFor() {
        // Built topologies are shared within a JVM: a shape built for one GPU must not serve another GPU type or count.
        Catalog catalog = Catalog.load();
        TopologySpec spec = TopologySpec.defaults();
        Topology a100 = spec.build(16, catalog.gpu("A100-80GB"));
        Topology h100 = spec.build(16, catalog.gpu("H100-SXM"));
        Topology h100Again = spec.build(16, catalog.gpu("H100-SXM"));
        Topology h100Small = spec.build(8, catalog.gpu("H100-SXM"));
        assertThat(a100.route(0, 7)).isEqualTo(new Route(1, 1.0, 600));
        assertThat(h100.route(0, 7)).isEqualTo(new Route(1, 1.0, 900));
        assertThat(h100.route(0, 9)).isEqualTo(new Route(2, 5.0, 50));
        assertThat(h100Again.route(0, 7)).isEqualTo(h100.route(0, 7));
        assertThat(h100Small.gpuCount()).isEqualTo(8);
        assertThat(new TopologySpec("ring", null, 100.0, null, null, null, null, null)
                .build(16, catalog.gpu("H100-SXM")).route(0, 8).hops()).isEqualTo(8);
    }

    @Test
    void multiNodeClusterOf128GpusHasDiameterTwo() {
        Topology topology = Topology.multiNode(128, 8, 900, 1, 50, 2.5);
        assertThat(topology.diameterHops()).isEqualTo(2);
        // 16 nodes · 28 NVLink pairs + 128 GPU-to-switch links
        assertThat(topology.links()).hasSize(16 * 28 + 128);
    }

    @Test
    void jsonTopologyLoadsNodesLinksAndPrefersTheWiderOfEqualRoutes(@TempDir Path dir) throws IOException {
        // gpu0 and gpu1 are 2 hops apart over swA (100 GB/s) or swB (200 GB/s), same latency: the wider wins.
        Path file = dir.resolve("two-switches.json");
        Files.writeString(file, """
                {"nodes": [{"name": "gpu0", "kind": "gpu"}, {"name": "gpu1", "kind": "gpu"},
                           {"name": "swA", "kind": "switch"}, {"name": "swB", "kind": "switch"}],
                 "links": [{"from": "gpu0", "to": "swA", "bandwidth_gbps": 100, "latency_micros": 2},
                           {"from": "swA", "to": "gpu1", "bandwidth_gbps": 100, "latency_micros": 2},
                           {"from": "gpu0", "to": "swB", "bandwidth_gbps": 200, "latency_micros": 2},
                           {"from": "swB", "to": "gpu1", "bandwidth_gbps": 200, "latency_micros": 2}]}
                """);
        Topology topology = Topology.fromJson(file);
        assertThat(topology.gpuCount()).isEqualTo(2);
        assertThat(topology.route(0, 1)).isEqualTo(new Route(2, 4.0, 200));
    }

    @Test
    void linkToAnUnknownNodeIsAConfigError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, """
                {"nodes": [{"name": "gpu0", "kind": "gpu"}, {"name": "gpu1", "kind": "gpu"}],
                 "links": [{"from": "gpu0", "to": "gpu9", "bandwidth_gbps": 600, "latency_micros": 1}]}
                """);
        assertThatThrownBy(() -> Topology.fromJson(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("links[0].to names an unknown node 'gpu9'; known nodes: [gpu0, gpu1]");
    }

    @Test
    void gpuWithoutAPathOfLinksIsAConfigError() {
        // gpu2 has no link: the topology is not connected.
        List<TopologyNode> nodes = List.of(TopologyNode.gpu(0), TopologyNode.gpu(1), TopologyNode.gpu(2));
        List<TopologyLink> links = List.of(new TopologyLink("gpu0", "gpu1", 600, 1));
        assertThatThrownBy(() -> Topology.of("three", nodes, links))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gpu 'gpu2' cannot be reached from gpu 'gpu0' (no path of links)");
    }

    @Test
    void duplicateNodeNameAndNegativeBandwidthAreConfigErrors() {
        assertThatThrownBy(() -> Topology.of("dup", List.of(TopologyNode.gpu(0), TopologyNode.gpu(0)), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("nodes[1].name must be unique, got 'gpu0' twice");
        assertThatThrownBy(() -> new TopologyLink("gpu0", "gpu1", -5, 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("bandwidth_gbps must be > 0, got -5.0");
    }

    @Test
    void defaultSpecBuildsEightGpuNodesWithTheGpusNvlinkBandwidth() {
        // H100-SXM: 900 GB/s NVLink inside a node; 50 GB/s and 2 × 2.5 µs between nodes.
        Topology topology = TopologySpec.defaults().build(16, Catalog.load().gpu("H100-SXM"));
        assertThat(topology.route(0, 1)).isEqualTo(new Route(1, 1.0, 900));
        assertThat(topology.route(0, 8)).isEqualTo(new Route(2, 5.0, 50));
        assertThatThrownBy(() -> new TopologySpec("torus", null, null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kind must be one of [multi_node, full_mesh, ring, ring_cross, file], got torus");
    }
}
