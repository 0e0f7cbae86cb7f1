package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;
import io.servesim.core.model.DecodeCost;
import io.servesim.core.model.DecodeRunTime;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.stats.LogHistogram;

import java.util.Arrays;

/**
 * A run of decode iterations of an unchanging decode set, advanced analytically: its boundaries T0 + S(k) come
 * from the closed form ({@link DecodeRunTime}) and the KV blocks its first k iterations need from the decode set's
 * residue classes (⌊k / blockTokens⌋ · per-period + prefix(k mod blockTokens)). {@link #project} jumps to the next
 * boundary that matters — where a sequence finishes, the last iteration whose blocks fit, or the first boundary at
 * or after a limit (an arrival, a wake-up, the horizon) — in O(log n) work.
 */
final class DecodeRun {
    private static final int COST_TERMS = 5;

    private final StepTimeModel model;
    private final IterationWork work;
    private final DecodeSet decodes;
    private final int blockTokens;
    private final DecodeRunTime time = new DecodeRunTime();
    /** Blocks the first r iterations of every period of blockTokens iterations need, r = 0 … blockTokens. */
    private final long[] needPrefix;
    /** The model's decode cost per batch size in picoseconds (c, a1, b1, a2, b2), filled on first use. */
    private byte[] costKnown = new byte[0];
    private long[] costPicos = new long[0];
    /** The model's FLOPs and HBM bytes of a decode iteration per batch size at context 0 (c_F, c_M), with the costs. */
    private double[] workAtZeroContext = new double[0];

    private boolean active;
    private long version;
    private double startTime;
    private long startIteration;
    private int startFree;
    private double startBusy;
    private double startPrefillBusy;
    private double startCommunication;
    private double startKvBlockSeconds;
    private double startFlops;
    private double startHbmBytes;
    /** FLOPs and bytes of the run's first iteration; each later one adds B · (per context token). */
    private double firstFlops;
    private double firstHbmBytes;
    private int batch;
    private double communicationPerIteration;
    /** Iterations of the run committed so far (its last boundary is at T0 + S(committed)). */
    long committed;

    DecodeRun(StepTimeModel model, DecodeSet decodes, int blockTokens) {
        this.model = model;
        this.work = model.work();
        this.decodes = decodes;
        this.blockTokens = blockTokens;
        this.needPrefix = new long[blockTokens + 1];
    }

    /** Whether a run is in progress and the decode set has not changed since it started. */
    boolean continues() {
        return active && version == decodes.version;
    }

    boolean active() {
        return active;
    }

    void stop() {
        active = false;
    }

    /**
     * Whether the model gives decode iterations of {@code sequences} sequences in closed form; caches its terms in
     * picoseconds, once per batch size, so starting a run allocates and recomputes nothing.
     */
    boolean hasClosedForm(int sequences) {
        if (sequences >= costKnown.length) {
            int size = Math.max(sequences + 1, costKnown.length * 2);
            costKnown = Arrays.copyOf(costKnown, size);
            costPicos = Arrays.copyOf(costPicos, size * COST_TERMS);
            workAtZeroContext = Arrays.copyOf(workAtZeroContext, size * 2);
        }
        if (costKnown[sequences] == 0) {
            DecodeCost cost = model.decodeCost(sequences);
            costKnown[sequences] = (byte) (cost == null ? 2 : 1);
            if (cost != null) {
                int at = sequences * COST_TERMS;
                costPicos[at] = DecodeRunTime.picos(cost.constantSeconds());
                costPicos[at + 1] = DecodeRunTime.picos(cost.slope1());
                costPicos[at + 2] = DecodeRunTime.picos(cost.intercept1());
                costPicos[at + 3] = DecodeRunTime.picos(cost.slope2());
                costPicos[at + 4] = DecodeRunTime.picos(cost.intercept2());
                if (work != null) {
                    workAtZeroContext[2 * sequences] = work.decodeFlops(sequences, 0);
                    workAtZeroContext[2 * sequences + 1] = work.decodeHbmBytes(sequences, 0);
                }
            }
        }
        return costKnown[sequences] == 1;
    }

    /** Starts a run at boundary {@code t}, iteration {@code iteration}, with the engine's totals so far. */
    void start(double t, long iteration, int freeBlocks, ReplicaStats stats, BatchShape shape) {
        active = true;
        version = decodes.version;
        startTime = t;
        startIteration = iteration;
        startFree = freeBlocks;
        startBusy = stats.busySeconds;
        startPrefillBusy = stats.prefillBusySeconds;
        startCommunication = stats.communicationSeconds;
        startKvBlockSeconds = stats.kvBlockSeconds;
        startFlops = stats.flops;
        startHbmBytes = stats.hbmBytes;
        committed = 0;
        batch = decodes.count;
        long context = decodes.contextTokens(iteration);
        int at = batch * COST_TERMS;
        time.set(costPicos[at], costPicos[at + 1], costPicos[at + 2], costPicos[at + 3], costPicos[at + 4],
                context, batch);
        decodes.needPrefix(iteration, needPrefix);
        if (work != null) {
            firstFlops = workAtZeroContext[2 * batch] + context * work.flopsPerContextToken();
            firstHbmBytes = workAtZeroContext[2 * batch + 1] + context * work.hbmBytesPerContextToken();
        }
        shape.setDecode(batch, context);
        communicationPerIteration = model.communicationSeconds(shape, 0);
    }

    /**
     * Projects the run from its last committed boundary to the first boundary at or after {@code limit}, but no
     * further than the iteration in which a sequence finishes, the last one whose KV blocks fit, or the last
     * boundary within {@code horizon}; at least one iteration.
     */
    void project(double limit, double horizon, int totalBlocks, Projection p) {
        long kMin = committed + 1;
        long finish = decodes.liveMinFinish();
        long kFinish = finish == Long.MAX_VALUE ? Long.MAX_VALUE : finish - startIteration + 1;
        long kHigh = Math.max(kMin, Math.min(kFinish, iterationsWithinBlocks()));
        long k = time.firstBoundaryAtOrAfter(startTime, limit, kMin, kHigh);
        // Stepping never processes an iteration that ends past the horizon, so a run may not jump over it.
        if (k > kMin && time.endSeconds(startTime, k) > horizon) {
            k = time.lastBoundaryAtOrBefore(startTime, horizon, kMin, k - 1);
        }
        double seconds = time.picos(k) * 1e-12;
        long need = need(k);
        int usedAtStart = totalBlocks - startFree;
        p.runIterations = k;
        p.iterations = (int) (k - committed);
        p.endTime = startTime + seconds;
        p.busySeconds = startBusy + seconds;
        p.prefillBusySeconds = startPrefillBusy;
        p.communicationSeconds = startCommunication + k * communicationPerIteration;
        // KV usage grows by one block per sequence every blockTokens iterations: trapezoid over the run.
        p.kvBlockSeconds = startKvBlockSeconds + seconds * (usedAtStart + (needPrefix[1] + need) / 2.0);
        // iteration j of the run reads x_0 + B·j context tokens: Σ_{j<k} = k · first + per-token · B · k(k − 1)/2
        if (work != null) {
            double contextGrowth = (double) batch * (k * (k - 1) / 2);
            p.flops = startFlops + k * firstFlops + contextGrowth * work.flopsPerContextToken();
            p.hbmBytes = startHbmBytes + k * firstHbmBytes + contextGrowth * work.hbmBytesPerContextToken();
        }
        p.freeBlocks = (int) (startFree - need);
        p.peakUsedBlocks = totalBlocks - p.freeBlocks;
        p.lastIterationSeconds = time.iterationPicos(k - 1) * 1e-12;
    }

    /** T0 + S(k): the k-th boundary of the run (the end of its k-th iteration). */
    double boundarySeconds(long k) {
        return time.endSeconds(startTime, k);
    }

    /** The iterations of the run, between {@code lo} and {@code hi}, ended at or before {@code t} ({@code lo} if none). */
    long iterationsEndedBy(double t, long lo, long hi) {
        return time.lastBoundaryAtOrBefore(startTime, t, lo, hi);
    }

    /** The first k in [lo, hi] whose boundary is at or after {@code t} ({@code hi} if none). */
    long firstBoundaryAtOrAfter(double t, long lo, long hi) {
        return time.firstBoundaryAtOrAfter(startTime, t, lo, hi);
    }

    /** Duration of the run's iteration {@code j} (0 = its first). */
    double iterationSeconds(long j) {
        return time.iterationPicos(j) * 1e-12;
    }

    /**
     * Adds the durations of the run's iterations [from, to), each {@code weight} times, to {@code histogram}: bucket
     * by bucket, since durations never decrease within a run (both lines of the closed form grow with the context),
     * so the cost is O(buckets spanned · log n) and a jumped run is not stepped through.
     */
    void addIterationTimes(LogHistogram histogram, long from, long to, int weight) {
        long j = from;
        while (j < to) {
            int bucket = LogHistogram.bucketOf(time.iterationPicos(j) * 1e-12);
            double upper = LogHistogram.upperEdge(bucket);
            long lo = j;
            long hi = to - 1;
            if (time.iterationPicos(hi) * 1e-12 < upper) {
                lo = hi; // the common case: the rest of the run is in this bucket
            }
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                if (time.iterationPicos(mid) * 1e-12 < upper) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            histogram.addToBucket(bucket, (lo - j + 1) * weight);
            j = lo + 1;
        }
        histogram.addSumPicos(time.picos(to) - time.picos(from), weight);
    }

    /** KV blocks in use once the first k iterations of the run ended. */
    int usedBlocksAfter(long k, int totalBlocks) {
        return (int) (totalBlocks - startFree + need(k));
    }

    /** Blocks the first k iterations of the run need. */
    private long need(long k) {
        return (k / blockTokens) * needPrefix[blockTokens] + needPrefix[(int) (k % blockTokens)];
    }

    /** The most iterations of the run whose blocks fit in the blocks free at its start. */
    private long iterationsWithinBlocks() {
        long perPeriod = needPrefix[blockTokens];
        long periods = startFree / perPeriod;
        long left = startFree - periods * perPeriod;
        int r = blockTokens - 1;
        while (needPrefix[r] > left) {
            r--;
        }
        return periods * blockTokens + r;
    }
}
