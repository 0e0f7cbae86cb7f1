package io.servesim.core.engine;

import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of the engine over random replica limits, cluster sizes, loads and horizons, with continuous batching
 * (core's own scheduler; the experiments module runs the same properties over every registered scheduler):
 * every request ends in exactly one outcome, the counts add up, time is ordered per request, KV blocks in use
 * never exceed the cache, completed requests generate exactly their output, and fast-forwarding decode
 * iterations changes nothing.
 */
class EngineInvariantsPropertyTest {

    /** A random small run: limits that bind (few blocks, short queues, timeouts) as often as not. */
    record RunCase(int replicas, ReplicaConfig config, ContextDependentModel model, Load load) {

        SimulationResult run(boolean fastForward) {
            List<ReplicaSetup> setups = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                setups.add(new ReplicaSetup(config, model, new ContinuousBatchingScheduler()));
            }
            return new Simulation(setups, new RoundRobinRouter(),
                    TestWorkloads.poisson(load.seed, load.requests, load.rate, 1, load.maxPrompt, 1, load.maxOutput),
                    new SimulationOptions(load.horizonSeconds, fastForward)).run();
        }
    }

    /** Poisson traffic of uniform lengths, and where the run stops. */
    record Load(long seed, int requests, double rate, int maxPrompt, int maxOutput, double horizonSeconds) {
    }

    @Provide
    Arbitrary<RunCase> runs() {
        Arbitrary<ReplicaConfig> configs = Combinators.combine(
                Arbitraries.integers().between(1, 64), Arbitraries.integers().between(64, 4096), Arbitraries.of(true, false),
                Arbitraries.integers().between(16, 1024), Arbitraries.integers().between(8, 600),
                Arbitraries.integers().between(256, 4096), Arbitraries.of(5, 50, 1 << 20),
                Arbitraries.of(Double.POSITIVE_INFINITY, 0.5, 5.0)).as((seqs, budget, chunked, chunk, blocks, context, queue,
                timeout) -> new ReplicaConfig(seqs, Math.max(seqs, budget), chunked, chunk, blocks, 16, context, queue, timeout));
        Arbitrary<ReplicaConfig> configsAnyMix = Combinators.combine(configs, Arbitraries.of(true, false)).as((c, mixed) ->
                new ReplicaConfig(c.maxNumSeqs(), c.maxNumBatchedTokens(), c.chunkedPrefill(), c.prefillChunkTokens(),
                        c.kvBlocks(), c.blockTokens(), c.maxContextTokens(), c.maxQueueLength(),
                        c.queueTimeoutSeconds(), false, mixed));
        Arbitrary<ContextDependentModel> models = Combinators.combine(
                Arbitraries.doubles().between(0.002, 0.02).ofScale(5), Arbitraries.doubles().between(0, 1e-7).ofScale(12),
                Arbitraries.doubles().between(0, 2e-5).ofScale(9)).as(ContextDependentModel::new);
        Arbitrary<Load> loads = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 400),
                Arbitraries.doubles().between(1, 200), Arbitraries.integers().between(1, 2000),
                Arbitraries.integers().between(1, 600), Arbitraries.of(Double.POSITIVE_INFINITY, 2.0, 20.0)).as(Load::new);
        return Combinators.combine(Arbitraries.integers().between(1, 3), configsAnyMix, models, loads).as(RunCase::new);
    }

    @Property(tries = 60, seed = "20261128")
    void everyRequestEndsInExactlyOneOutcomeAndTheCountsAddUp(@ForAll("runs") RunCase c) {
        SimulationResult r = c.run(true);
        RequestTable t = r.requests();
        long completed = 0;
        long failed = 0;
        long inFlight = 0;
        for (int i = 0; i < t.size(); i++) {
            Outcome o = t.outcome(i);
            if (o == Outcome.COMPLETED) {
                completed++;
            } else if (o.isFailure()) {
                failed++;
            } else {
                inFlight++;
            }
        }
        assertThat(completed + failed + inFlight).isEqualTo(r.arrived());
        assertThat(completed + failed).isEqualTo(r.finishedRequests());
        assertThat(inFlight).isEqualTo(r.inFlight());
        if (c.load().horizonSeconds() == Double.POSITIVE_INFINITY) {
            // Without a horizon the run ends when every request has ended, and every request has arrived.
            assertThat(inFlight).isZero();
            assertThat(r.arrived()).isEqualTo(c.load().requests());
        }
    }

    @Property(tries = 60, seed = "20261128")
    void timesAreOrderedPerRequestAndNeverPassTheLastEvent(@ForAll("runs") RunCase c) {
        SimulationResult r = c.run(true);
        RequestTable t = r.requests();
        double previousArrival = 0;
        for (int i = 0; i < t.size(); i++) {
            double arrival = t.arrivalTime(i);
            assertThat(arrival).isGreaterThanOrEqualTo(previousArrival);
            previousArrival = arrival;
            if (t.outcome(i) == Outcome.COMPLETED) {
                // arrival ≤ first scheduled ≤ first token (TTFT) ≤ finish (e2e) ≤ the clock at the end.
                assertThat(t.firstScheduledTime(i)).isGreaterThanOrEqualTo(arrival);
                assertThat(t.firstTokenTime(i)).isGreaterThanOrEqualTo(t.firstScheduledTime(i));
                assertThat(t.finishTime(i)).isGreaterThanOrEqualTo(t.firstTokenTime(i)).isLessThanOrEqualTo(r.horizonSeconds());
                assertThat(t.generatedTokens(i)).isEqualTo(t.outputTokens(i));
            } else if (t.outcome(i).isFailure()) {
                assertThat(t.finishTime(i)).isGreaterThanOrEqualTo(arrival);
            } else {
                assertThat(t.finishTime(i)).isNaN();
            }
        }
    }

    @Property(tries = 60, seed = "20261128")
    void kvBlocksInUseNeverExceedTheCache(@ForAll("runs") RunCase c) {
        SimulationResult r = c.run(true);
        for (int i = 0; i < r.cluster().replicaCount(); i++) {
            Replica replica = r.cluster().replica(i);
            // The peak is taken over every iteration, including those inside a fast-forwarded run.
            assertThat(replica.stats().peakUsedBlocks()).isBetween(0, replica.totalKvBlocks());
            assertThat(replica.stats().usedKvBlocks()).isBetween(0, replica.totalKvBlocks());
            assertThat(replica.stats().kvBlockSeconds()).isLessThanOrEqualTo(replica.totalKvBlocks() * replica.stats().busySeconds() * (1 + 1e-12));
        }
    }

    @Property(tries = 40, seed = "20261128")
    void fastForwardAndSteppingGiveTheSameBits(@ForAll("runs") RunCase c) {
        SimulationResult fast = c.run(true);
        SimulationResult stepped = c.run(false);
        assertThat(RunFingerprint.of(stepped)).isEqualTo(RunFingerprint.of(fast));
    }

    /**
     * Found by {@link #fastForwardAndSteppingGiveTheSameBits}: a request arrives at 1.986 s and decodes 8 tokens of
     * 2 ms each past a 2 s horizon. Stepping commits the 6 iterations that end by 2 s (busy 12 ms); fast-forward
     * used to project one run through the horizon and drop it whole (1 iteration, busy 2 ms).
     */
    @Example
    void aRunCutByTheHorizonCommitsTheIterationsThatEndBeforeIt() {
        RunCase c = new RunCase(1, new ReplicaConfig(1, 64, true, 16, 8, 16, 256, 5, Double.POSITIVE_INFINITY),
                new ContextDependentModel(0.002, 0, 0), new Load(-1, 1, 1.13, 1, 8, 2.0));
        SimulationResult fast = c.run(true);
        assertThat(fast.requests().outcome(0)).isEqualTo(Outcome.IN_FLIGHT);
        assertThat(fast.cluster().replica(0).stats().iterations()).isEqualTo(6);
        assertThat(RunFingerprint.of(fast)).isEqualTo(RunFingerprint.of(c.run(false)));
    }

}
