package io.servesim.core.model;

/**
 * The closed form of a run of decode iterations, in whole picoseconds: while a batch of B sequences decodes
 * without change, iteration j of the run (j = 0, 1, …) has context sum x_j = x_0 + B·j and lasts
 * <pre>  t(j) = c + max(a1·x_j + b1, a2·x_j + b2)</pre>
 * (a {@link DecodeCost} with every term rounded to picoseconds once), so the first k iterations last
 * <pre>  S(k) = c·k + Σ_{j&lt;s} line_low(j) + Σ_{s≤j&lt;k} line_high(j)</pre>
 * where s is the iteration at which the two lines cross (d(j) = line1(j) − line2(j) is affine in j), and each
 * partial sum is n·(a·x_u + b) + a·B·(u + v − 1)·n / 2. The arithmetic is exact (integers, overflow checked), so
 * S(k) equals Σ_{j&lt;k} t(j) to the picosecond: stepping one iteration at a time and jumping k iterations land on
 * the same boundaries — what makes fast-forward byte-identical to stepping.
 *
 * <p>Pure: the answers depend only on the terms given to {@link #set}. One instance is reused for every run of a
 * replica (no allocation in the engine's loop).
 */
public final class DecodeRunTime {
    private long constant;
    private long slope1;
    private long intercept1;
    private long slope2;
    private long intercept2;
    private long startContext;
    private long batch;

    /**
     * Sets the run: the cost terms in picoseconds (c, a1, b1, a2, b2 — all ≥ 0), the context sum x_0 of its first
     * iteration and its batch size B.
     */
    public DecodeRunTime set(long constantPicos, long slope1Picos, long intercept1Picos, long slope2Picos,
                             long intercept2Picos, long startContextTokens, int batchSize) {
        this.constant = constantPicos;
        this.slope1 = slope1Picos;
        this.intercept1 = intercept1Picos;
        this.slope2 = slope2Picos;
        this.intercept2 = intercept2Picos;
        this.startContext = startContextTokens;
        this.batch = batchSize;
        return this;
    }

    /** Seconds rounded to whole picoseconds: how the engine turns a {@link DecodeCost}'s terms into integers. */
    public static long picos(double seconds) {
        return Math.round(seconds * 1e12);
    }

    /** t(j): picoseconds of iteration j of the run. */
    public long iterationPicos(long j) {
        long x = startContext + batch * j;
        return constant + Math.max(slope1 * x + intercept1, slope2 * x + intercept2);
    }

    /** S(k): picoseconds of the first k iterations of the run (0 for k = 0). */
    public long picos(long k) {
        long total = Math.multiplyExact(constant, k);
        // d(j) = line1(j) − line2(j) = slope · j + offset; line1 is the larger where d(j) ≥ 0.
        long slope = Math.multiplyExact(slope1 - slope2, batch);
        long offset = Math.addExact(Math.multiplyExact(slope1 - slope2, startContext), intercept1 - intercept2);
        if (slope == 0) {
            return offset >= 0 ? total + lineSum(slope1, intercept1, 0, k) : total + lineSum(slope2, intercept2, 0, k);
        }
        if (slope > 0) {
            long s = Math.min(k, offset >= 0 ? 0 : Math.floorDiv(-offset + slope - 1, slope));
            return total + lineSum(slope2, intercept2, 0, s) + lineSum(slope1, intercept1, s, k);
        }
        long s = Math.min(k, offset < 0 ? 0 : Math.floorDiv(offset, -slope) + 1);
        return total + lineSum(slope1, intercept1, 0, s) + lineSum(slope2, intercept2, s, k);
    }

    /** Σ_{j=u}^{v−1} (a · x_j + b) exactly: n·(a·x_0 + b) + a·B·(u + v − 1)·n / 2, n = v − u. */
    private long lineSum(long a, long b, long u, long v) {
        long n = v - u;
        if (n <= 0) {
            return 0;
        }
        long first = Math.addExact(Math.multiplyExact(a, startContext), b);
        long growth = Math.multiplyExact(a, batch);
        long pairs = Math.multiplyExact(u + v - 1, n) / 2;
        return Math.addExact(Math.multiplyExact(first, n), Math.multiplyExact(growth, pairs));
    }

    /**
     * The first k in [lo, hi] with T0 + S(k)·10⁻¹² ≥ {@code limit} seconds (S is increasing), or {@code hi} if none:
     * the boundary a run jumps to when something is due at {@code limit}.
     */
    public long firstBoundaryAtOrAfter(double startSeconds, double limit, long lo, long hi) {
        if (endSeconds(startSeconds, hi) < limit) {
            return hi;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (endSeconds(startSeconds, mid) >= limit) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The last k in [lo, hi] with T0 + S(k)·10⁻¹² ≤ {@code limit} seconds, or {@code lo} if none. */
    public long lastBoundaryAtOrBefore(double startSeconds, double limit, long lo, long hi) {
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (endSeconds(startSeconds, mid) <= limit) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** T0 + S(k), in seconds: the k-th boundary of a run that started at {@code startSeconds}. */
    public double endSeconds(double startSeconds, long k) {
        return startSeconds + picos(k) * 1e-12;
    }
}
