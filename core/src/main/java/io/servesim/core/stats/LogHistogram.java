package io.servesim.core.stats;

/**
 * A streaming histogram of positive durations on logarithmic buckets: bucket b holds [e_b, e_{b+1}) with
 * e_b = {@value #MIN_SECONDS} s · (1 + {@value #RELATIVE_WIDTH})^b, up to {@value #MAX_SECONDS} s (smaller and larger
 * values land in the first and the last bucket). A quantile is the geometric middle of its bucket, so it is within
 * half a bucket ({@value #RELATIVE_WIDTH} / 2 relative) of the exact order statistic; the mean is exact (the sum is
 * kept in whole picoseconds, in 128 bits). Bucket edges are one array compared against, so the same duration always
 * lands in the same bucket however it was computed.
 *
 * <p>Adding costs O(log buckets); a run of nondecreasing durations is added bucket by bucket
 * ({@link #addToBucket}), which is what lets a fast-forwarded run of decode iterations feed it without stepping.
 */
public final class LogHistogram {
    public static final double MIN_SECONDS = 1e-6;
    public static final double MAX_SECONDS = 1e4;
    public static final double RELATIVE_WIDTH = 0.01;
    private static final double[] EDGES = edges();
    private static final double LOG_STEP = Math.log1p(RELATIVE_WIDTH);

    private final long[] counts = new long[EDGES.length];
    private long total;
    private long sumPicosHigh;
    private long sumPicosLow;

    private static double[] edges() {
        int n = (int) Math.ceil(Math.log(MAX_SECONDS / MIN_SECONDS) / Math.log1p(RELATIVE_WIDTH)) + 1;
        double[] e = new double[n];
        for (int b = 0; b < n; b++) {
            e[b] = MIN_SECONDS * Math.pow(1 + RELATIVE_WIDTH, b);
        }
        return e;
    }

    /** The bucket of {@code seconds}. */
    public static int bucketOf(double seconds) {
        if (!(seconds > EDGES[0])) {
            return 0;
        }
        // the logarithm's guess, settled against the edges themselves (so the answer is exact and consistent)
        int b = (int) Math.min(EDGES.length - 1, Math.log(seconds / MIN_SECONDS) / LOG_STEP);
        while (b > 0 && seconds < EDGES[b]) {
            b--;
        }
        while (b + 1 < EDGES.length && seconds >= EDGES[b + 1]) {
            b++;
        }
        return b;
    }

    /** The first value above bucket {@code b} (+∞ for the last bucket). */
    public static double upperEdge(int b) {
        return b + 1 < EDGES.length ? EDGES[b + 1] : Double.POSITIVE_INFINITY;
    }

    /** Adds {@code count} values in bucket {@code b} (their sum is added separately, {@link #addSumPicos}). */
    public void addToBucket(int b, long count) {
        counts[b] += count;
        total += count;
    }

    /** Adds {@code count} values of {@code picos} picoseconds together: count and sum. */
    public void add(long picos, long count) {
        if (count > 0) {
            addToBucket(bucketOf(picos * 1e-12), count);
            addSumPicos(picos, count);
        }
    }

    /** Adds {@code picos} · {@code count} picoseconds to the sum (exact, 128 bits). */
    public void addSumPicos(long picos, long count) {
        long low = picos * count;
        long high = Math.multiplyHigh(picos, count);
        long sum = sumPicosLow + low;
        high += Long.compareUnsigned(sum, sumPicosLow) < 0 ? 1 : 0;
        sumPicosLow = sum;
        sumPicosHigh += high;
    }

    /** Adds every value of {@code other}. */
    public void addAll(LogHistogram other) {
        for (int b = 0; b < counts.length; b++) {
            counts[b] += other.counts[b];
        }
        total += other.total;
        long sum = sumPicosLow + other.sumPicosLow;
        sumPicosHigh += other.sumPicosHigh + (Long.compareUnsigned(sum, sumPicosLow) < 0 ? 1 : 0);
        sumPicosLow = sum;
    }

    public long count() {
        return total;
    }

    /** The exact mean in seconds (NaN when empty). */
    public double meanSeconds() {
        if (total == 0) {
            return Double.NaN;
        }
        double sum = sumPicosHigh * 0x1p64 + (sumPicosLow >>> 1) * 2.0 + (sumPicosLow & 1);
        return sum * 1e-12 / total;
    }

    /** The q-quantile (0 < q ≤ 1, nearest rank): the geometric middle of its bucket; NaN when empty. */
    public double quantileSeconds(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return b + 1 < EDGES.length ? Math.sqrt(EDGES[b] * EDGES[b + 1]) : EDGES[b];
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + total);
    }
}
