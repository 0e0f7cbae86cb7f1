package io.servesim.core.metrics;

import io.servesim.core.engine.EngineObserver;
import io.servesim.core.engine.IterationsInFlight;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.stats.LogHistogram;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InterTokenLatencyTest {

    /** Every decode token's inter-token time, from a stepped run's iterations one by one. */
    private static final class TokenTimes implements EngineObserver {
        final List<Double> values = new ArrayList<>();

        @Override
        public void beforeEvent(Replica engine, double t) {
        }

        @Override
        public void onIterationsEnd(Replica engine, IterationsInFlight span) {
            for (int i = 0; i < span.iterations(); i++) {
                double seconds = span.boundarySeconds(i + 1) - span.boundarySeconds(i);
                for (int s = 0; s < span.decodeSequences(); s++) {
                    values.add(seconds);
                }
            }
        }

        @Override
        public void onRunEnd(List<Replica> engines, double t) {
        }
    }

    private static SimulationResult run(ReplicaConfig config, int replicas,
                                        io.servesim.core.model.StepTimeModel model, WorkloadSource workload,
                                        boolean fast, EngineObserver observer) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            setups.add(new ReplicaSetup(config, model, new ContinuousBatchingScheduler()));
        }
        return new Simulation(setups, new RoundRobinRouter(), workload,
                SimulationOptions.DEFAULT.withFastForward(fast)).run(observer);
    }

    @Test
    void aLoneRequestsTokensComeOneIterationApart() {
        // prompt 100, output 5, 10 ms per iteration: prefill (first token), then 4 decode tokens 10 ms apart;
        // TTFT without queueing = the prefill iteration = 10 ms; input 100 / output 5 tokens over 0.05 s.
        ReplicaConfig config = new ReplicaConfig(8, 2048, false, 4096, 100, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY, false);
        RunMetrics m = RunMetrics.of(run(config, 1, AffineStepTimeModel.constant(0.01),
                ListWorkloadSource.ofRows(new double[] {0.0, 100, 5}), true, null));
        assertThat(m.itl().mean()).isCloseTo(0.01, within(1e-12));
        assertThat(m.itl().p50()).isCloseTo(0.01, within(0.01 * 0.005));
        assertThat(m.itl().p99()).isCloseTo(0.01, within(0.01 * 0.005));
        assertThat(m.ttftNoQueue().mean()).isCloseTo(0.01, within(1e-12));
        assertThat(m.inputTokensPerSecond()).isCloseTo(100 / 0.05, within(1e-6));
        assertThat(m.throughputTokensPerSecond()).isCloseTo(5 / 0.05, within(1e-6));
    }

    @Test
    void percentilesAreWithinHalfABucketOfTheExactOnesAndTheMeanIsExact() {
        for (long seed = 1; seed <= 4; seed++) {
            RandomScenario s = RandomScenario.draw(seed);
            TokenTimes exact = new TokenTimes();
            RunMetrics stepped = RunMetrics.of(run(s.config(), s.replicas(), s.model(), s.workload(), false, exact));
            RunMetrics jumped = RunMetrics.of(run(s.config(), s.replicas(), s.model(), s.workload(), true, null));
            assertThat(jumped.itl()).as("seed %d", seed).isEqualTo(stepped.itl());

            double[] values = exact.values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(values);
            assertThat(values.length).isGreaterThan(10_000);
            double mean = Arrays.stream(values).sum() / values.length;
            assertThat(jumped.itl().mean()).isCloseTo(mean, within(mean * 1e-9));
            double[] qs = {0.5, 0.9, 0.95, 0.99};
            double[] got = {jumped.itl().p50(), jumped.itl().p90(), jumped.itl().p95(), jumped.itl().p99()};
            for (int i = 0; i < qs.length; i++) {
                double order = values[(int) Math.ceil(qs[i] * values.length) - 1];
                assertThat(got[i]).as("seed %d q %s", seed, qs[i]).isCloseTo(order, within(order * 0.0051));
            }
        }
    }

    @Test
    void everyDecodeTokenIsCountedInTheBucketOfItsOwnIterationTime() {
        // The oracle: each decode token's inter-token time read off a stepped run's iteration boundaries, put in its
        // bucket by LogHistogram.bucketOf one value at a time. The jumped run fills its histogram run by run,
        // walking the buckets a run's growing iteration times cross; it must hold the same count in every bucket
        // (not merely percentiles within half a bucket: a value counted one bucket off fails here).
        // Iterations read the KV cache (1 µs per context token over a 5 ms weight read), so a decode run's
        // iterations grow by 1 % — one bucket — every few dozen iterations: long runs cross many buckets, and
        // arrivals cut them at arbitrary points.
        ReplicaConfig config = new ReplicaConfig(8, 4096, false, 4096, 100_000, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY, false);
        ContextDependentModel model = new ContextDependentModel(0.005, 1e-6, 1e-5);
        double[][] rows = {{0.0, 100, 3000}, {0.0, 200, 2500}, {1.0, 300, 2000}, {5.0, 50, 4000},
            {7.3, 400, 1000}, {12.0, 100, 3000}, {20.5, 900, 1500}};
        TokenTimes exact = new TokenTimes();
        SimulationResult stepped = run(config, 1, model, ListWorkloadSource.ofRows(rows), false, exact);
        SimulationResult jumped = run(config, 1, model, ListWorkloadSource.ofRows(rows), true, null);
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        for (double seconds : exact.values) {
            buckets.merge(LogHistogram.bucketOf(seconds), 1L, Long::sum);
        }
        assertThat(exact.values).hasSize(3000 + 2500 + 2000 + 4000 + 1000 + 3000 + 1500 - rows.length);
        assertThat(buckets).as("buckets spanned").hasSizeGreaterThan(100);
        assertThat(jumped.events()).as("jumped, not stepped").isLessThan(stepped.cluster().replica(0).stats().iterations());

        assertSameBuckets(merged(jumped), buckets, "jumped");
        assertSameBuckets(merged(stepped), buckets, "stepped");
    }

    /**
     * {@code h} holds {@code counts.get(b)} values in each bucket b: the same total, and the first and last rank of
     * each bucket's values fall in that bucket (ranks between them follow, quantiles being monotone).
     */
    private static void assertSameBuckets(LogHistogram h, TreeMap<Integer, Long> counts, String what) {
        LogHistogram expected = new LogHistogram();
        counts.forEach(expected::addToBucket);
        assertThat(h.count()).as(what).isEqualTo(expected.count());
        long below = 0;
        for (long count : counts.values()) {
            for (long rank : new long[] {below + 1, below + count}) {
                double q = (rank - 0.5) / expected.count();
                assertThat(h.quantileSeconds(q)).as("%s, rank %d", what, rank).isEqualTo(expected.quantileSeconds(q));
            }
            below += count;
        }
    }

    /** The inter-token histogram of every engine of a run. */
    private static LogHistogram merged(SimulationResult r) {
        LogHistogram all = new LogHistogram();
        for (int i = 0; i < r.cluster().replicaCount(); i++) {
            all.addAll(r.cluster().replica(i).stats().interTokenSeconds());
        }
        return all;
    }
}
