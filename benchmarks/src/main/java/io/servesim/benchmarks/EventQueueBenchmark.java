package io.servesim.benchmarks;

import io.servesim.core.engine.EventQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hold model on the future-event list: with {@code size} events pending, pop the earliest and push
 * one at a random later time — the engine's steady state. Reports nanoseconds per pop+push pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventQueueBenchmark {
    @Param({"16", "1024", "65536"})
    int size;

    private EventQueue queue;
    private SplittableRandom random;

    @Setup
    public void fill() {
        queue = new EventQueue(size);
        random = new SplittableRandom(7);
        for (int i = 0; i < size; i++) {
            queue.push(random.nextDouble(), 1, i);
        }
    }

    @Benchmark
    public double popThenPush() {
        queue.pop();
        double t = queue.time();
        queue.push(t + random.nextDouble(), queue.kind(), queue.target());
        return t;
    }
}
