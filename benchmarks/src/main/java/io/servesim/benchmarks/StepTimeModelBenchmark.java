package io.servesim.benchmarks;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.RooflineStepTimeModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The roofline model's {@code stageSeconds}, called once per decode iteration in the engine's
 * innermost loop: decode-only and mixed prefill+decode batches of Llama-2-7B on an H100.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StepTimeModelBenchmark {
    private RooflineStepTimeModel model;
    private final BatchShape decode = new BatchShape();
    private final BatchShape mixed = new BatchShape();
    private long context;

    @Setup
    public void build() {
        Catalog catalog = Catalog.load();
        model = RooflineStepTimeModel.singleGpu(catalog.model("Llama-2-7B"), catalog.gpu("H100-SXM"));
        mixed.addPrefillChunk(2048, 1024).setDecode(128, 128 * 700L);
    }

    @Benchmark
    public double decodeIteration() {
        context += 256;
        decode.setDecode(256, 256 * 600L + (context & 0xffff));
        return model.stageSeconds(decode);
    }

    @Benchmark
    public double mixedIteration() {
        return model.stageSeconds(mixed);
    }
}
