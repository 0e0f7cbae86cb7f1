package io.servesim.experiments.cli;

import io.servesim.experiments.bench.BenchRunner;
import io.servesim.experiments.bench.BenchRunner.BenchResult;
import io.servesim.experiments.bench.BenchScenario;
import io.servesim.analysis.output.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code servesim bench}: fixed, seeded scenarios timed after a warm-up; prints a table and writes
 * {@code bench.csv}. {@code --scale} shrinks every scenario (CI runs it tiny to keep it working).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time fixed, seeded scenarios: simulated requests, events and iterations per wall-second, peak heap.")
public final class BenchCommand implements Callable<Integer> {
    private static final Map<String, Supplier<BenchScenario>> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("single_replica", BenchScenario::singleReplica);
        SCENARIOS.put("hundred_gpus", BenchScenario::hundredGpus);
        SCENARIOS.put("heavy_tp8", BenchScenario::heavyTensorParallel);
        SCENARIOS.put("shared_prefix", BenchScenario::sharedPrefix);
        SCENARIOS.put("disaggregated", BenchScenario::disaggregated);
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", split = ",", paramLabel = "NAME",
            description = "Scenarios to run (default all): single_replica, hundred_gpus, heavy_tp8, shared_prefix, disaggregated.")
    List<String> scenarios;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Measured runs per scenario (default 3).")
    int repeats;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Warm-up runs per scenario (default 1).")
    int warmups;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1", description = "Multiply every request count (default 1).")
    double scale;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for bench.csv (default: results/bench-<timestamp>).")
    Path out;

    @Option(names = "--curve", description = "Instead: how cost grows with requests (10K…10M, one replica) and GPUs"
            + " (1…128, 1M requests); writes bench_curve.csv.")
    boolean curve;

    private static final long[] CURVE_REQUESTS = {10_000, 100_000, 1_000_000, 10_000_000};
    private static final int[] CURVE_GPUS = {1, 2, 4, 8, 16, 32, 64, 128};

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new UserInputException("--repeats must be >= 1, got " + repeats);
        }
        if (warmups < 0) {
            throw new UserInputException("--warmup must be >= 0, got " + warmups);
        }
        if (!(scale > 0 && scale <= 100)) {
            throw new UserInputException("--scale must be in (0, 100], got " + scale);
        }
        List<BenchScenario> runs = new ArrayList<>();
        if (curve) {
            if (scenarios != null) {
                throw new UserInputException("--curve and --scenario cannot be combined; the curve has its own scenarios");
            }
            BenchScenario.costCurve(CURVE_REQUESTS, CURVE_GPUS).forEach(b -> runs.add(b.scaled(scale)));
        } else {
            for (String name : scenarios == null ? List.copyOf(SCENARIOS.keySet()) : scenarios) {
                if (!SCENARIOS.containsKey(name)) {
                    throw new UserInputException("unknown bench scenario '" + name + "'; known: " + SCENARIOS.keySet());
                }
                runs.add(SCENARIOS.get(name).get().scaled(scale));
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-18s %10s %9s %17s %10s %12s %14s %10s%n", "scenario", "requests", "wall s", "(min-max)",
                "req/s", "events/s", "iterations/s", "heap MiB");
        List<BenchResult> results = new ArrayList<>();
        for (BenchScenario bench : runs) {
            BenchResult r = BenchRunner.run(bench, warmups, repeats);
            results.add(r);
            w.printf(Locale.ROOT, "%-18s %,10d %9.3f %17s %,10.0f %,12.0f %,14.0f %10.0f%n", bench.id(), r.requests(),
                    r.medianWallSeconds(), String.format(Locale.ROOT, "(%.3f-%.3f)", r.minWallSeconds(), r.maxWallSeconds()),
                    r.requestsPerWallSecond(), r.eventsPerWallSecond(), r.iterationsPerWallSecond(), r.peakHeapMiB());
            w.flush();
        }
        Path dir = out != null ? out : ResultFolders.timestamped("bench");
        String file = curve ? "bench_curve.csv" : "bench.csv";
        AtomicFiles.write(dir.resolve(file), o -> {
            Writer writer = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader(
                    "scenario", "title", "requests", "repeats", "wall_s_median", "wall_s_min", "wall_s_max",
                    "requests_per_wall_s", "events_per_wall_s", "iterations_per_wall_s", "peak_heap_mib").get())) {
                for (BenchResult r : results) {
                    csv.printRecord(r.scenario().id(), r.scenario().title(), r.requests(), r.wallSeconds().length,
                            r.medianWallSeconds(), r.minWallSeconds(), r.maxWallSeconds(), r.requestsPerWallSecond(),
                            r.eventsPerWallSecond(), r.iterationsPerWallSecond(), r.peakHeapMiB());
                }
            }
        });
        w.println("wrote " + dir.resolve(file));
        return 0;
    }
}
