package io.servesim.core.observe;

import io.servesim.core.engine.EngineObserver;
import io.servesim.core.engine.IterationsInFlight;
import io.servesim.core.engine.Replica;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples every engine on a fixed grid of simulated time τ_k = k·Δ (k = 1, 2, … while τ_k is before the run's last
 * event): at τ_k its queue length, running sequences and KV blocks in use, and over the cell (τ_k − Δ, τ_k] the
 * iterations that ended in it, the tokens they processed and the fraction of the cell the engine was busy.
 *
 * <p>Samples are taken lazily at the engine's events: the state shown before an event held since the previous one,
 * and inside a fast-forwarded run the iterations ended and the KV blocks in use by τ come from the run's closed form
 * — so a run is never stepped through, and stepped and fast-forwarded runs give the same samples, bit for bit (busy
 * time is summed per stretch of back-to-back iterations, which both modes start and end at the same events).
 * Memory: one row per engine and grid point.
 */
public final class TimeSeriesRecorder implements EngineObserver {
    /** Columns of {@link #rows()}, in order. */
    public static final List<String> COLUMNS = List.of("replica", "time_s", "queue_length", "running",
            "kv_blocks_used", "kv_blocks_total", "iterations", "tokens", "tokens_per_iteration", "busy_fraction");

    private final double intervalSeconds;
    private final List<EngineSeries> engines = new ArrayList<>();

    /** @param intervalSeconds Δ, the grid step, > 0 */
    public TimeSeriesRecorder(double intervalSeconds) {
        if (!(intervalSeconds > 0) || Double.isInfinite(intervalSeconds)) {
            throw new IllegalArgumentException("time series interval must be a positive number of seconds, got "
                    + intervalSeconds);
        }
        this.intervalSeconds = intervalSeconds;
    }

    public double intervalSeconds() {
        return intervalSeconds;
    }

    /** One engine's samples, in time order. */
    public static final class EngineSeries {
        private int size;
        private int kvBlocksTotal;
        private double[] time = new double[64];
        private int[] queue = new int[64];
        private int[] running = new int[64];
        private int[] kvBlocks = new int[64];
        private long[] iterations = new long[64];
        private long[] tokens = new long[64];
        private double[] busyFraction = new double[64];

        // lazily sampled state
        private double lastEvent;
        private long next = 1;
        private double busySince = Double.NaN;
        private double cellBusySeconds;
        private long committedIterations;
        private long committedTokens;
        private long iterationsAtLastSample;
        private long tokensAtLastSample;

        public int size() {
            return size;
        }

        public double timeSeconds(int i) {
            return time[i];
        }

        /** The engine's KV blocks. */
        public int kvBlocksTotal() {
            return kvBlocksTotal;
        }

        public int queueLength(int i) {
            return queue[i];
        }

        public int running(int i) {
            return running[i];
        }

        public int kvBlocksUsed(int i) {
            return kvBlocks[i];
        }

        public long iterations(int i) {
            return iterations[i];
        }

        public long tokens(int i) {
            return tokens[i];
        }

        public double busyFraction(int i) {
            return busyFraction[i];
        }

        private void add(double t, int q, int run, int kv, long iters, long toks, double busy) {
            if (size == time.length) {
                int n = size * 2;
                time = Arrays.copyOf(time, n);
                queue = Arrays.copyOf(queue, n);
                running = Arrays.copyOf(running, n);
                kvBlocks = Arrays.copyOf(kvBlocks, n);
                iterations = Arrays.copyOf(iterations, n);
                tokens = Arrays.copyOf(tokens, n);
                busyFraction = Arrays.copyOf(busyFraction, n);
            }
            time[size] = t;
            queue[size] = q;
            running[size] = run;
            kvBlocks[size] = kv;
            iterations[size] = iters;
            tokens[size] = toks;
            busyFraction[size] = busy;
            size++;
        }
    }

    /** The samples of engine {@code engine} (engines are numbered as in the cluster). */
    public EngineSeries engine(int engine) {
        return engine < engines.size() ? engines.get(engine) : new EngineSeries();
    }

    public int engineCount() {
        return engines.size();
    }

    private EngineSeries series(int engine) {
        while (engines.size() <= engine) {
            engines.add(new EngineSeries());
        }
        return engines.get(engine);
    }

    @Override
    public void beforeEvent(Replica engine, double t) {
        EngineSeries s = series(engine.index());
        s.kvBlocksTotal = engine.totalKvBlocks();
        IterationsInFlight span = engine.inFlight();
        boolean busy = span != null;
        if (!busy && !Double.isNaN(s.busySince)) {
            // the stretch of back-to-back iterations ended at the engine's previous event
            s.cellBusySeconds += s.lastEvent - Math.max(s.busySince, (s.next - 1) * intervalSeconds);
            s.busySince = Double.NaN;
        } else if (busy && Double.isNaN(s.busySince)) {
            s.busySince = s.lastEvent;
        }
        for (double tau = s.next * intervalSeconds; tau < t; tau = s.next * intervalSeconds) {
            sample(engine, s, span, tau);
        }
        s.lastEvent = t;
    }

    private void sample(Replica engine, EngineSeries s, IterationsInFlight span, double tau) {
        double cellStart = (s.next - 1) * intervalSeconds;
        double busySeconds = s.cellBusySeconds
                + (Double.isNaN(s.busySince) ? 0 : tau - Math.max(s.busySince, cellStart));
        int ended = span == null ? 0 : span.iterationsEndedBy(tau);
        long iterations = s.committedIterations + ended;
        long tokens = s.committedTokens + (span == null ? 0 : span.tokensOfFirst(ended));
        int kv = span == null ? engine.stats().usedKvBlocks() : span.usedKvBlocksAfter(ended);
        s.add(tau, engine.waitingCount(), engine.runningCount(), kv, iterations - s.iterationsAtLastSample,
                tokens - s.tokensAtLastSample, busySeconds / intervalSeconds);
        s.iterationsAtLastSample = iterations;
        s.tokensAtLastSample = tokens;
        s.cellBusySeconds = 0;
        s.next++;
    }

    @Override
    public void onIterationsEnd(Replica engine, IterationsInFlight span) {
        EngineSeries s = series(engine.index());
        s.committedIterations += span.iterations();
        s.committedTokens += span.tokensOfFirst(span.iterations());
    }

    @Override
    public void onRunEnd(List<Replica> all, double t) {
        for (Replica engine : all) {
            beforeEvent(engine, t);
        }
    }
}
