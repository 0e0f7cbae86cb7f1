package io.servesim.core.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyRouteLinksTest {

    @Test
    void routeLinksFollowTheRouteThroughTheSwitch() {
        // Two nodes of 2 GPUs: GPU 0 → GPU 3 crosses GPU 0's link to the switch, then the switch's link to GPU 3.
        Topology t = Topology.multiNode(4, 2, 100, 1, 50, 2.5);
        int[] path = t.routeLinks(0, 3);
        assertThat(path).hasSize(2);
        assertThat(t.directedLinkGBps(path[0])).isEqualTo(50);
        assertThat(t.routeLinks(3, 0)).hasSize(2).doesNotContain(path[0], path[1]);
        assertThat(t.routeLinks(0, 1)).hasSize(1);
        assertThat(t.directedLinkGBps(t.routeLinks(0, 1)[0])).isEqualTo(100);
    }
}
