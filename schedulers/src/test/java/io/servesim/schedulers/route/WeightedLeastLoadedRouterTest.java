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

class WeightedLeastLoadedRouterTest {

    /**
     * Replica 0's iterations take 2 s, replica 1's 1 s, whatever the batch: μ_0 = budget / 2 s, μ_1 = budget / 1 s.
     * 30 requests of 50 + 50 tokens arrive 1 ms apart, so none finishes while they are routed.
     */
    private static int[] chosen(Router router) {
        double[][] rows = new double[30][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {0.001 * i, 50, 50};
        }
        List<ReplicaSetup> replicas = List.of(setup(2.0), setup(1.0));
        SimulationResult r = new Simulation(replicas, router, ListWorkloadSource.ofRows(rows),
                SimulationOptions.DEFAULT).run();
        assertThat(r.finishedRequests()).isEqualTo(rows.length);
        int[] chosen = new int[rows.length];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = r.requests().replica(i);
        }
        return chosen;
    }

    private static ReplicaSetup setup(double iterationSeconds) {
        return new ReplicaSetup(new ReplicaConfig(256, 8192, false, 4096, 1000, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY), AffineStepTimeModel.constant(iterationSeconds),
                new ContinuousBatchingScheduler());
    }

    @Test
    void aReplicaTwiceAsFastTakesTwiceTheRequests() {
        // Expected delay (outstanding + 100 tokens) / μ, in units of 100 tokens / μ_0: replica 0 gives k_0 + 1,
        // replica 1 (k_1 + 1) / 2. Empty: 1 against 1/2 → replica 1. Then 1 against 1: a tie, the lower index → 0.
        // Then 2 against 1 → 1; 2 against 3/2 → 1; 2 against 2 → 0; and so on in periods of (0, 1, 1): replica 0
        // takes requests 1, 4, 7, …, 28 (10 of them), replica 1 the other 20.
        int[] chosen = chosen(new WeightedLeastLoadedRouter());
        assertThat(chosen).startsWith(1, 0, 1, 1, 0, 1, 1, 0);
        int toSlow = 0;
        for (int i = 0; i < chosen.length; i++) {
            assertThat(chosen[i]).as("request %d", i).isEqualTo(i % 3 == 1 ? 0 : 1);
            toSlow += chosen[i] == 0 ? 1 : 0;
        }
        assertThat(toSlow).isEqualTo(10);
    }

    @Test
    void onEqualReplicasItIsLeastLoaded() {
        double[][] rows = {{0, 50, 50}, {0.001, 80, 20}, {0.002, 10, 10}, {0.003, 300, 1}};
        int[][] choices = new int[2][rows.length];
        Router[] routers = {new WeightedLeastLoadedRouter(), new LeastLoadedRouter()};
        for (int k = 0; k < routers.length; k++) {
            SimulationResult r = new Simulation(List.of(setup(1.0), setup(1.0)), routers[k], ListWorkloadSource.ofRows(rows),
                    SimulationOptions.DEFAULT).run();
            for (int i = 0; i < rows.length; i++) {
                choices[k][i] = r.requests().replica(i);
            }
        }
        // With equal rates, (outstanding + request) / μ orders the replicas as their outstanding tokens do: 0, 1, 0, 1.
        assertThat(choices[0]).containsExactly(0, 1, 0, 1);
        assertThat(choices[0]).containsExactly(choices[1]);
    }
}
