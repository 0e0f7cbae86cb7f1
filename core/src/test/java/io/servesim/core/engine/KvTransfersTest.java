package io.servesim.core.engine;

import io.servesim.core.cluster.Topology;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KvTransfersTest {
    /** 4 GPUs, each pair on its own 100 GB/s link of 5 µs. */
    private static final Topology MESH = Topology.fullMesh(4, 100, 5);
    private static final double GB = 1e9;
    private static final double LATENCY = 5e-6;

    private final Map<Integer, Double> delivered = new HashMap<>();
    private final KvTransfers transfers = new KvTransfers(MESH, (request, t) -> delivered.put(request, t));

    private void drain() {
        for (double t = transfers.nextEventTime(); t < Double.POSITIVE_INFINITY; t = transfers.nextEventTime()) {
            transfers.onEvent(t);
        }
    }

    @Test
    void oneTransferTakesLatencyPlusBytesOverBandwidth() {
        // 1 GB over 100 GB/s: 10 ms, plus the link's 5 µs.
        transfers.start(7, new int[] {0}, new int[] {1}, GB, 1.0);
        drain();
        assertThat(delivered.get(7)).isCloseTo(1.0 + 0.010 + LATENCY, within(1e-12));
    }

    @Test
    void twoTransfersOnOneLinkEachTakeTwiceAsLong() {
        transfers.start(1, new int[] {0}, new int[] {1}, GB, 0);
        transfers.start(2, new int[] {0}, new int[] {1}, GB, 0);
        drain();
        assertThat(delivered.get(1)).isCloseTo(0.020 + LATENCY, within(1e-12));
        assertThat(delivered.get(2)).isCloseTo(0.020 + LATENCY, within(1e-12));
    }

    @Test
    void transfersOnDisjointLinksDoNotSlowEachOther() {
        transfers.start(1, new int[] {0}, new int[] {1}, GB, 0);
        transfers.start(2, new int[] {2}, new int[] {3}, GB, 0);
        drain();
        assertThat(delivered.get(1)).isCloseTo(0.010 + LATENCY, within(1e-12));
        assertThat(delivered.get(2)).isCloseTo(0.010 + LATENCY, within(1e-12));
    }

    @Test
    void theOppositeDirectionOfALinkIsNotShared() {
        transfers.start(1, new int[] {0}, new int[] {1}, GB, 0);
        transfers.start(2, new int[] {1}, new int[] {0}, GB, 0);
        drain();
        assertThat(delivered.get(2)).isCloseTo(0.010 + LATENCY, within(1e-12));
    }

    @Test
    void ratesAreSharedAgainWhenATransferJoinsOrLeaves() {
        // A (1 GB) starts at 0 and sends 0.5 GB alone by 5 ms; B (1 GB) joins: 50 GB/s each, A's last 0.5 GB takes
        // 10 ms (A done at 15 ms), by then B sent 0.5 GB; alone again, B's last 0.5 GB takes 5 ms (done at 20 ms).
        transfers.start(1, new int[] {0}, new int[] {1}, GB, 0);
        transfers.start(2, new int[] {0}, new int[] {1}, GB, 0.005);
        drain();
        assertThat(delivered.get(1)).isCloseTo(0.015 + LATENCY, within(1e-12));
        assertThat(delivered.get(2)).isCloseTo(0.020 + LATENCY, within(1e-12));
    }

    @Test
    void aTransferBetweenTensorParallelGroupsSendsOneShardPerGpuPair() {
        // TP 2 to TP 2: GPU 0 → 2 and GPU 1 → 3, 0.5 GB each on its own link: 5 ms.
        transfers.start(1, new int[] {0, 1}, new int[] {2, 3}, GB, 0);
        drain();
        assertThat(delivered.get(1)).isCloseTo(0.005 + LATENCY, within(1e-12));
        // TP 1 to TP 2: GPU 0 sends 0.5 GB to each of 2 and 3, over two links: 5 ms as well.
        transfers.start(2, new int[] {0}, new int[] {2, 3}, GB, 1);
        drain();
        assertThat(delivered.get(2)).isCloseTo(1.005 + LATENCY, within(1e-12));
    }
}
