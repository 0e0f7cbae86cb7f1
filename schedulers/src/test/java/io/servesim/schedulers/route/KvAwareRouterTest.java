package io.servesim.schedulers.route;

import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.ListWorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KvAwareRouterTest {

    private static int[] chosen(Router router) {
        // Replica 0 holds 100 KV blocks (1,600 tokens), replica 1 300 (4,800); 40 requests of 50 + 50 tokens arrive
        // 1 ms apart and iterations take 1 s, so none finishes while they are routed.
        double[][] rows = new double[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {0.001 * i, 50, 50};
        }
        List<ReplicaSetup> replicas = List.of(setup(100), setup(300));
        SimulationResult r = new Simulation(replicas, router, ListWorkloadSource.ofRows(rows),
                SimulationOptions.DEFAULT).run();
        int[] chosen = new int[rows.length];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = r.requests().replica(i);
        }
        return chosen;
    }

    private static ReplicaSetup setup(int kvBlocks) {
        return new ReplicaSetup(new ReplicaConfig(256, 1 << 16, false, 4096, kvBlocks, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY), AffineStepTimeModel.constant(1.0), new ContinuousBatchingScheduler());
    }

    @Test
    void kvAwareFillsTheLargerCacheUntilTheRoomLeftIsEven() {
        // Room after k requests on replica 1: 4,800 − 100k; it equals replica 0's 1,600 at k = 32, and the tie goes
        // to the lower index: requests 0–31 to replica 1, request 32 to replica 0, then turn about.
        int[] chosen = chosen(new KvAwareRouter());
        for (int i = 0; i < 32; i++) {
            assertThat(chosen[i]).as("request %d", i).isEqualTo(1);
        }
        assertThat(chosen[32]).isZero();
        assertThat(chosen[33]).isEqualTo(1);
    }

    @Test
    void leastLoadedIgnoresTheCapacityAndAlternates() {
        int[] chosen = chosen(new LeastLoadedRouter());
        assertThat(chosen[0]).isZero();
        assertThat(chosen[1]).isEqualTo(1);
        assertThat(chosen[2]).isZero();
    }
}
