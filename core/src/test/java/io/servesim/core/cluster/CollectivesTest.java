package io.servesim.core.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** All-reduces of 1 MB (10⁶ bytes); T = 2(t−1) · maxRouteLatency + 2(t−1)/t · bytes / minBottleneck. */
class CollectivesTest {

    private static final double MB = 1e6;
    private static final double MICROS = 1e-6;
    private static final int[] FIRST_FOUR = {0, 1, 2, 3};

    @Test
    void allReduceOnAFullMeshUsesOneHopRoutes() {
        // t = 4, 600 GB/s, 1 µs: 6 · 1 µs + 1.5 · 1e6 / 600e9 = 6 + 2.5 = 8.5 µs.
        Topology mesh = Topology.fullMesh(4, 600, 1);
        assertThat(Collectives.ringAllReduceSeconds(mesh, FIRST_FOUR, MB)).isCloseTo(8.5 * MICROS, within(1e-12));
    }

    @Test
    void allReduceOnPartOfARingWaitsForTheLongWayBack() {
        // Ring of 8, group 0..3: routes 0→1, 1→2, 2→3 take 1 hop, 3→0 takes 3 hops (3 µs):
        // 6 · 3 µs + 1.5 · 1e6 / 600e9 = 18 + 2.5 = 20.5 µs.
        Topology ring = Topology.ring(8, 600, 1);
        assertThat(Collectives.ringAllReduceSeconds(ring, FIRST_FOUR, MB)).isCloseTo(20.5 * MICROS, within(1e-12));
    }

    @Test
    void allReduceOverAWholeRingUsesOnlyNeighbourLinks() {
        // Ring of 8, all GPUs: 14 · 1 µs + 2 · 7/8 · 1e6 / 600e9 = 14 + 2.9167 = 16.9167 µs.
        Topology ring = Topology.ring(8, 600, 1);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        assertThat(Collectives.ringAllReduceSeconds(ring, all, MB)).isCloseTo(16.9167 * MICROS, within(0.0001 * MICROS));
    }

    @Test
    void allReduceOnACrossConnectedRingClosesTheRingOverACrossLink() {
        // 8 GPUs, main 600 GB/s, cross 300 GB/s (chord 3): 3→0 is one 300 GB/s hop.
        // 6 · 1 µs + 1.5 · 1e6 / 300e9 = 6 + 5 = 11 µs.
        Topology cross = Topology.ringWithCrossConnections(8, 600, 300, 1);
        assertThat(Collectives.ringAllReduceSeconds(cross, FIRST_FOUR, MB)).isCloseTo(11 * MICROS, within(1e-12));
    }

    @Test
    void allReduceAcrossNodesIsBoundByTheInterNodeLinks() {
        // 16 GPUs, 8 per node, NVLink 600 GB/s 1 µs, IB 50 GB/s 2.5 µs per link. Group 6, 7, 8, 9:
        // 7→8 and 9→6 cross the switch (2 hops, 5 µs, 50 GB/s): 6 · 5 µs + 1.5 · 1e6 / 50e9 = 30 + 30 = 60 µs.
        // Inside a node (0..3) it is the full-mesh figure, 8.5 µs.
        Topology cluster = Topology.multiNode(16, 8, 600, 1, 50, 2.5);
        assertThat(Collectives.ringAllReduceSeconds(cluster, new int[] {6, 7, 8, 9}, MB))
                .isCloseTo(60 * MICROS, within(1e-12));
        assertThat(Collectives.ringAllReduceSeconds(cluster, FIRST_FOUR, MB)).isCloseTo(8.5 * MICROS, within(1e-12));
    }

    @Test
    void allReduceOverOneGpuCostsNothing() {
        Topology mesh = Topology.fullMesh(4, 600, 1);
        assertThat(Collectives.ringAllReduceSeconds(mesh, new int[] {2}, MB)).isZero();
    }

    @Test
    void pointToPointPaysTheRouteLatencyAndItsBottleneck() {
        // 0 → 8 across nodes: 5 µs + 1e6 / 50e9 = 5 + 20 = 25 µs; to itself: 0.
        Topology cluster = Topology.multiNode(16, 8, 600, 1, 50, 2.5);
        assertThat(Collectives.pointToPoint(cluster, 0, 8).seconds(MB)).isCloseTo(25 * MICROS, within(1e-12));
        assertThat(Collectives.pointToPoint(cluster, 3, 3).seconds(MB)).isZero();
    }

    @Test
    void allToAllSendsEachOtherRankItsShareInPairwiseSteps() {
        // 4 ranks of one GPU on a full mesh (600 GB/s, 1 µs), 1 MB in all: each rank sends 1e6 / 16 to each of the
        // 3 others: 3 · 1 µs + 3/16 · 1e6 / 600e9 = 3 + 0.3125 = 3.3125 µs
        Topology mesh = Topology.fullMesh(4, 600, 1);
        int[][] ranks = {{0}, {1}, {2}, {3}};
        assertThat(Collectives.allToAll(mesh, ranks).seconds(MB)).isCloseTo(3.3125 * MICROS, within(1e-12));
        assertThat(Collectives.allToAll(mesh, new int[][] {{0, 1, 2, 3}}).seconds(MB)).isZero();
    }

    @Test
    void allToAllAcrossNodesWaitsForTheInterNodeRoutes() {
        // ranks {6, 7} and {8, 9} on two 8-GPU nodes: 6→8 and 7→9 cross the switch (5 µs, 50 GB/s):
        // 1 · 5 µs + 1/4 · 1e6 / 50e9 = 5 + 5 = 10 µs
        Topology cluster = Topology.multiNode(16, 8, 600, 1, 50, 2.5);
        assertThat(Collectives.allToAll(cluster, new int[][] {{6, 7}, {8, 9}}).seconds(MB))
                .isCloseTo(10 * MICROS, within(1e-12));
    }
}
