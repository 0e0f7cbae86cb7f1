package io.servesim.core.observe;

import io.servesim.core.engine.EngineObserver;
import io.servesim.core.engine.IterationsInFlight;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TraceRecorderTest {

    /** Counts, in a stepped run, the iterations starting in [from, to), and the widest span a run committed. */
    private static final class IterationCounter implements EngineObserver {
        final double from;
        final double to;
        long inWindow;
        int widestSpanInWindow;

        IterationCounter(double from, double to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void beforeEvent(Replica engine, double t) {
        }

        @Override
        public void onIterationsEnd(Replica engine, IterationsInFlight span) {
            if (span.endSeconds() > from && span.startSeconds() < to) {
                widestSpanInWindow = Math.max(widestSpanInWindow, span.iterations());
            }
            if (span.iterations() == 1 && span.startSeconds() >= from && span.startSeconds() < to) {
                inWindow++;
            }
        }

        @Override
        public void onRunEnd(List<Replica> engines, double t) {
        }
    }

    private static SimulationResult run(RandomScenario scenario, boolean fast, EngineObserver observer) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < scenario.replicas(); i++) {
            setups.add(new ReplicaSetup(scenario.config(), scenario.model(), new ContinuousBatchingScheduler()));
        }
        return new Simulation(setups, new RoundRobinRouter(), scenario.workload(),
                SimulationOptions.DEFAULT.withFastForward(fast)).run(observer);
    }

    private static byte[] trace(TraceRecorder recorder, SimulationResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        recorder.write(out, result.requests());
        return out.toByteArray();
    }

    @Test
    void fastForwardedTraceEqualsTheSteppedOneAndCountsTheSteppedIterations() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            RandomScenario scenario = RandomScenario.draw(seed);
            double from = 5;
            double to = 15;
            IterationCounter stepped = new IterationCounter(from, to);
            TraceRecorder steppedTrace = new TraceRecorder(from, to);
            SimulationResult s = run(scenario, false, EngineObserver.both(stepped, steppedTrace));
            IterationCounter jumped = new IterationCounter(from, to);
            TraceRecorder jumpedTrace = new TraceRecorder(from, to);
            SimulationResult j = run(scenario, true, EngineObserver.both(jumped, jumpedTrace));

            assertThat(stepped.widestSpanInWindow).as("stepping commits one iteration at a time").isEqualTo(1);
            assertThat(stepped.inWindow).isPositive();
            assertThat(steppedTrace.iterations()).isEqualTo(stepped.inWindow);
            assertThat(jumpedTrace.iterations()).as("seed %d", seed).isEqualTo(stepped.inWindow);
            assertThat(new String(trace(jumpedTrace, j))).isEqualTo(new String(trace(steppedTrace, s)));
            if (seed == 1) {
                assertThat(jumped.widestSpanInWindow).as("runs were expanded inside the window").isGreaterThan(1);
            }
        }
    }

    @Test
    void iterationEventsCarryTheirBatchAndRequestsTheirPhases() throws IOException {
        // Request 0 at 0 (prompt 100, output 4): prefill [0, 0.01), decodes [0.01, 0.02), [0.02, 0.03),
        // [0.03, 0.04) — the decodes one fast-forwarded run. Window [0.015, 0.035): the decode iterations starting
        // at 0.02 and 0.03, each one token of a batch of one; the request overlaps the window.
        ReplicaConfig config = new ReplicaConfig(8, 2048, false, 4096, 100, 16, 1 << 20, 1 << 20,
                Double.POSITIVE_INFINITY, false);
        WorkloadSource workload = ListWorkloadSource.ofRows(new double[] {0.0, 100, 4}, new double[] {0.5, 10, 2});
        TraceRecorder recorder = new TraceRecorder(0.015, 0.035);
        SimulationResult result = new Simulation(List.of(new ReplicaSetup(config, AffineStepTimeModel.constant(0.01),
                new ContinuousBatchingScheduler())), new RoundRobinRouter(), workload, SimulationOptions.DEFAULT)
                .run(recorder);
        JsonNode root = new ObjectMapper().readTree(trace(recorder, result));
        List<JsonNode> iterations = new ArrayList<>();
        List<JsonNode> requests = new ArrayList<>();
        for (JsonNode event : root.get("traceEvents")) {
            if (event.get("ph").asText().equals("X")) {
                iterations.add(event);
            } else if (event.get("ph").asText().equals("b")) {
                requests.add(event);
            }
        }
        assertThat(iterations).hasSize(2);
        assertThat(iterations.get(0).get("ts").asDouble()).isCloseTo(20_000, within(1e-6));
        assertThat(iterations.get(1).get("ts").asDouble()).isCloseTo(30_000, within(1e-6));
        for (JsonNode x : iterations) {
            assertThat(x.get("name").asText()).isEqualTo("decode");
            assertThat(x.get("dur").asDouble()).isCloseTo(10_000, within(1e-6));
            assertThat(x.at("/args/decode_tokens").asInt()).isEqualTo(1);
            assertThat(x.at("/args/prefill_tokens").asInt()).isZero();
            assertThat(x.at("/args/batch_size").asInt()).isEqualTo(1);
        }
        // request 0 only (request 1 arrives after the window): lifetime, queued, prefill, decode
        assertThat(requests).extracting(e -> e.get("name").asText())
                .containsExactly("request 0", "queued", "prefill", "decode");
        assertThat(requests.get(3).get("ts").asDouble()).isCloseTo(10_000, within(1e-6));
    }
}
