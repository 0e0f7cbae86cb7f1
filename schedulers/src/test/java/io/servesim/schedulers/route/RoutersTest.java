package io.servesim.schedulers.route;

import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.Scenarios;
import io.servesim.schedulers.SchedulerContext;
import io.servesim.schedulers.SchedulerSpec;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RoutersTest {

    private static int[] replicasChosen(Router router, int replicas, WorkloadSource workload) {
        SimulationResult r = Scenarios.run(replicas, Scenarios.config(64, 1 << 16, false, 1 << 20),
                AffineStepTimeModel.constant(1.0), i -> new ContinuousBatchingScheduler(), router, workload, true);
        RequestTable t = r.requests();
        int[] chosen = new int[t.size()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = t.replica(i);
        }
        return chosen;
    }

    @Test
    void leastLoadedPicksTheReplicaWithFewestOutstandingTokens() {
        // Iterations of 1 s: nothing finishes during the arrivals. Loads (prompt + output) after each:
        // r0 → 0 (all 0, lowest index): [200, 0, 0]; r1 → 1: [200, 20, 0]; r2 → 2: [200, 20, 100];
        // r3 → 1 (20 is least): [200, 22, 100]; r4 → 1 again (22 < 100).
        int[] chosen = replicasChosen(new LeastLoadedRouter(), 3, ListWorkloadSource.ofRows(
                new double[] {0.0, 100, 100}, new double[] {0.001, 10, 10}, new double[] {0.002, 50, 50},
                new double[] {0.003, 1, 1}, new double[] {0.004, 30, 30}));
        assertThat(chosen).containsExactly(0, 1, 2, 1, 1);
    }

    @Test
    void powerOfTwoIsDeterministicUnderASeedAndBalances() {
        int[] a = replicasChosen(new PowerOfTwoRouter(new SplittableRandom(9)), 4, TestWorkloads.poisson(1, 400, 100, 1, 100, 1, 100));
        int[] b = replicasChosen(new PowerOfTwoRouter(new SplittableRandom(9)), 4, TestWorkloads.poisson(1, 400, 100, 1, 100, 1, 100));
        int[] c = replicasChosen(new PowerOfTwoRouter(new SplittableRandom(10)), 4, TestWorkloads.poisson(1, 400, 100, 1, 100, 1, 100));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        int[] counts = new int[4];
        for (int replica : a) {
            counts[replica]++;
        }
        // 400 requests over 4 replicas, every one used and none with more than 40 % of them.
        for (int n : counts) {
            assertThat(n).isBetween(40, 160);
        }
    }

    @Test
    void randomRouterDrawsEachReplicaUniformlyFromItsStream() {
        // Each request goes to nextInt(5) of the injected stream, in arrival order: the same seed gives the same
        // choices, the choices are the stream's draws, and 2000 draws over 5 replicas put 400 ± 18 (one standard
        // deviation, sqrt(2000 · 0.2 · 0.8)) on each; 300 … 500 is more than 5 standard deviations either side.
        int[] a = replicasChosen(new RandomRouter(new SplittableRandom(3)), 5, TestWorkloads.poisson(1, 2000, 100, 1, 10, 1, 10));
        int[] b = replicasChosen(new RandomRouter(new SplittableRandom(3)), 5, TestWorkloads.poisson(1, 2000, 100, 1, 10, 1, 10));
        assertThat(a).isEqualTo(b);
        SplittableRandom stream = new SplittableRandom(3);
        int[] counts = new int[5];
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("request %d", i).isEqualTo(stream.nextInt(5));
            counts[a[i]]++;
        }
        for (int n : counts) {
            assertThat(n).isBetween(300, 500);
        }
    }

    @Test
    void binAffinityKeepsEachBinOnItsReplicas() {
        // Outputs uniform on {1 … 100}, K = 2 exact bins split at Q(1/2) = 50; 4 replicas: bin 0 → {0, 1}, bin 1 → {2, 3}.
        WorkloadSource workload = TestWorkloads.poisson(4, 500, 50, 1, 100, 1, 100);
        SchedulerContext context = Scenarios.context(workload);
        Router router = Scenarios.registry().router(SchedulerSpec.MultiBin.withBins(2), new RouterSpec.BinAffinity(), context);
        SimulationResult r = Scenarios.run(4, Scenarios.config(64, 1 << 16, false, 1 << 20), AffineStepTimeModel.constant(0.01),
                i -> new ContinuousBatchingScheduler(), router, workload, true);
        boolean[] used = new boolean[4];
        for (int i = 0; i < r.requests().size(); i++) {
            int replica = r.requests().replica(i);
            used[replica] = true;
            assertThat(replica < 2).as("request %d", i).isEqualTo(r.requests().outputTokens(i) <= 50);
        }
        assertThat(used).containsOnly(true);
    }

    @Test
    void binsShareReplicasRoundRobinWhenReplicasAreFewer() {
        // K = 4 bins (upper bounds 25, 50, 75) on 2 replicas: bin k → replica k mod 2.
        WorkloadSource workload = TestWorkloads.poisson(5, 300, 50, 1, 100, 1, 100);
        Router router = Scenarios.registry().router(SchedulerSpec.MultiBin.withBins(4), new RouterSpec.BinAffinity(),
                Scenarios.context(workload));
        SimulationResult r = Scenarios.run(2, Scenarios.config(64, 1 << 16, false, 1 << 20), AffineStepTimeModel.constant(0.01),
                i -> new ContinuousBatchingScheduler(), router, workload, true);
        for (int i = 0; i < r.requests().size(); i++) {
            int bin = (r.requests().outputTokens(i) - 1) / 25;
            assertThat(r.requests().replica(i)).isEqualTo(bin % 2);
        }
    }
}
