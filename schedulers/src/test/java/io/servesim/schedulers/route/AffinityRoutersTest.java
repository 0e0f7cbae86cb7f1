package io.servesim.schedulers.route;

import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.Sla;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.Scenarios;
import io.servesim.schedulers.SchedulerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AffinityRoutersTest {

    /** The replica of each request (iterations of 1 s: nothing finishes while the requests arrive). */
    private static int[] replicasChosen(Router router, int replicas, RequestSpec... requests) {
        SimulationResult r = Scenarios.run(replicas, Scenarios.config(64, 1 << 16, false, 1 << 20),
                AffineStepTimeModel.constant(1.0), i -> new ContinuousBatchingScheduler(), router,
                new ListWorkloadSource(List.of(requests), List.of(new ProfileInfo("default", Sla.DEFAULT))), true);
        RequestTable t = r.requests();
        int[] chosen = new int[t.size()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = t.replica(i);
        }
        return chosen;
    }

    /** Request {@code id} at id·1 ms: prompt = 1000-token system prompt {@code prefix} + 100, output 100. */
    private static RequestSpec withPrefix(int id, long prefix) {
        return new RequestSpec(id, id * 0.001, 1100, 100, 0, -1, 0, prefix, 1000);
    }

    @Test
    void prefixAffinitySendsARepeatedPrefixBackToItsReplica() {
        // Loads after each (prompt + output = 1200): p0 → r0 (all empty); p1 → r1 (no match, least loaded);
        // p0 again: r0 matches 1000/1100 = 0.91, load term 0.5 · 1200 / (2400/3 + 1200) = 0.3 → 0.61 > 0 elsewhere
        int[] chosen = replicasChosen(new PrefixAffinityRouter(0.5), 3,
                withPrefix(0, 7), withPrefix(1, 8), withPrefix(2, 7), withPrefix(3, 8));
        assertThat(chosen).containsExactly(0, 1, 0, 1);
    }

    @Test
    void prefixAffinityGivesUpTheMatchWhenItsReplicaIsFarBusier() {
        // Four requests of prefix 7 on 2 replicas: the 2nd goes to r0 (score 0.91 − 0.5·1200/(600 + 1200) = 0.58
        // against 0 on r1); the 3rd: r0 0.91 − 0.5·2400/(1200 + 1200) = 0.41 still beats 0; with load_weight 5 the
        // 2nd already goes to r1 (0.91 − 5·1200/1800 < 0), and the 3rd back to r0 (both match, tie on load → r0)
        assertThat(replicasChosen(new PrefixAffinityRouter(0.5), 2,
                withPrefix(0, 7), withPrefix(1, 7), withPrefix(2, 7))).containsExactly(0, 0, 0);
        assertThat(replicasChosen(new PrefixAffinityRouter(5), 2,
                withPrefix(0, 7), withPrefix(1, 7), withPrefix(2, 7))).containsExactly(0, 1, 0);
    }

    @Test
    void prefixAffinityFollowsASessionsHistory() {
        // session 0's turn 1 (prompt 300 of which 220 = 200 + 20 history) goes back to r0 although r1 is empty
        int[] chosen = replicasChosen(new PrefixAffinityRouter(0.5), 2,
                new RequestSpec(0, 0.0, 200, 20, 0, 0, 0),
                new RequestSpec(1, 0.001, 100, 10, 0, 1, 0),
                new RequestSpec(2, 0.002, 300, 20, 0, 0, 1));
        assertThat(chosen).containsExactly(0, 1, 0);
    }

    @Test
    void sessionAffinityKeepsASessionOnItsFirstReplica() {
        // first turns go least loaded: s0 → r0, s1 → r1, single-turn → r2 (empty); s0's turn 1 → r0 whatever the load
        int[] chosen = replicasChosen(new SessionAffinityRouter(), 3,
                new RequestSpec(0, 0.0, 500, 500, 0, 0, 0),
                new RequestSpec(1, 0.001, 10, 10, 0, 1, 0),
                new RequestSpec(2, 0.002, 10, 10, 0, -1, 0),
                new RequestSpec(3, 0.003, 900, 10, 0, 0, 1));
        assertThat(chosen).containsExactly(0, 1, 2, 0);
    }

    @Test
    void bothAreInTheRegistryAndPrefixAffinityReadsItsWeight() {
        assertThat(Scenarios.registry().routerNames()).contains("prefix_affinity", "session_affinity");
        Router router = Scenarios.registry().router(new SchedulerSpec.Continuous(null), new RouterSpec.PrefixAffinity(5.0),
                null);
        assertThat(replicasChosen(router, 2, withPrefix(0, 7), withPrefix(1, 7), withPrefix(2, 7)))
                .containsExactly(0, 1, 0);
    }
}
