package io.servesim.experiments.bench;

import io.servesim.core.metrics.RunMetrics;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.workloads.Workload;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;

/**
 * Times bench scenarios: a warm-up, then several measured runs, each from the same seed. Reports the
 * median and the spread of the wall time and the peak heap, read from the JVM's memory pools.
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    /**
     * One scenario's figures.
     *
     * @param wallSeconds     wall seconds of each measured run, in order
     * @param peakHeapMiB     largest heap in use during any measured run (sum of the heap pools' peaks), MiB
     */
    public record BenchResult(BenchScenario scenario, long requests, long events, long iterations, double[] wallSeconds,
                              double peakHeapMiB) {

        public double medianWallSeconds() {
            double[] sorted = wallSeconds.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public double minWallSeconds() {
            return Arrays.stream(wallSeconds).min().orElse(Double.NaN);
        }

        public double maxWallSeconds() {
            return Arrays.stream(wallSeconds).max().orElse(Double.NaN);
        }

        public double requestsPerWallSecond() {
            return requests / medianWallSeconds();
        }

        public double eventsPerWallSecond() {
            return events / medianWallSeconds();
        }

        public double iterationsPerWallSecond() {
            return iterations / medianWallSeconds();
        }
    }

    public static BenchResult run(BenchScenario bench, int warmups, int repeats) {
        Workload workload = Workload.compile(bench.scenario().workload());
        for (int i = 0; i < warmups; i++) {
            ScenarioRunner.run(bench.scenario(), workload);
        }
        double[] wall = new double[repeats];
        double peak = 0;
        RunMetrics last = null;
        for (int i = 0; i < repeats; i++) {
            System.gc();
            List<MemoryPoolMXBean> pools = heapPools();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            last = ScenarioRunner.run(bench.scenario(), workload).metrics();
            wall[i] = (System.nanoTime() - start) / 1e9;
            peak = Math.max(peak, pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024.0 * 1024.0));
        }
        return new BenchResult(bench, last.arrived(), last.events(), last.iterations(), wall, peak);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
