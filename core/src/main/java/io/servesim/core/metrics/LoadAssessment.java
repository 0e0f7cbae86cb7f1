package io.servesim.core.metrics;

import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.RequestTable;

/**
 * Whether a run kept up with its arrivals, judged over the <em>load window</em>: from the arrival at the middle
 * of the run (index ⌊n/2⌋) to the last arrival. The window ends with the last arrival, so the drain of the last
 * requests after it never counts against a stable system; it starts at the middle, so the fill-up of an empty
 * system at the start rarely does.
 *
 * <p>Signals, each cheap (one pass over the request table):
 * <ul>
 *   <li>{@code overloadRatio} = servable arrivals in the window / completions in the window (completion time in
 *       the window, whenever the request arrived). Servable excludes requests that fail whatever the load
 *       ({@code EXCEEDS_CONTEXT}, {@code EXCEEDS_KV_CAPACITY}, {@code EXCEEDS_TOKEN_BUDGET}). ≈ 1 in steady state,
 *       ≈ λ/μ when the arrival rate λ exceeds the service rate μ.</li>
 *   <li>{@code queueGrowthFraction} = (waiting at the last arrival − waiting at the middle arrival) / servable
 *       arrivals in the window, where "waiting" counts the requests that arrived but were neither scheduled nor
 *       failed yet. ≈ 0 in steady state (and while a stable system fills its batch), ≈ 1 − μ/λ in overload.</li>
 *   <li>{@code queueTrendFraction}: the same growth read from a trend instead of two end points — the least-squares
 *       slope of the waiting queue against time, sampled at {@value #QUEUE_SAMPLES} arrivals evenly spaced over the
 *       window, times the window's duration, / servable window arrivals. ≈ 1 − μ/λ in overload, however long
 *       the run (unlike {@code overloadRatio}, which tends to λ/μ and so stays near 1 in a slow overload), ≈ 0 in
 *       steady state; one unlucky end point does not move it as much as it moves {@code queueGrowthFraction}.</li>
 *   <li>{@code loadShedFraction} = window arrivals that ended {@code QUEUE_FULL} or {@code TIMEOUT} / servable
 *       window arrivals: an overloaded system with a bounded queue sheds load instead of queueing it.</li>
 *   <li>{@code latencyTrendRatio} = mean end-to-end latency of the last 10 % of arrivals / of the middle 10 %
 *       (arrivals 45–55 %); a request still in flight at the horizon counts with its age at the horizon.</li>
 * </ul>
 *
 * <p>Rule: {@code saturated} ("the cell cannot keep up: its queue grows") ⇔ the waiting queue grows,
 * {@code queueTrendFraction > 0.02} with a fitted rise of at least {@value #MIN_QUEUE_RISE} requests over the
 * window; or load was shed, {@code loadShedFraction > 0.05}; or completions lag arrivals while latency grows,
 * {@code overloadRatio > 1.1} and {@code latencyTrendRatio > 1.5} (a system that keeps preempting admits its
 * requests, so its queue does not grow, but their latency does). A trend of 0.02 per arrival flags an arrival
 * rate about 2 % above the service rate in a run long enough for the trend to stand above the queue's own
 * fluctuations; near ρ = 1 a short run can go either way. Completions lagging arrivals alone is not enough: a
 * stable system that is still filling its batch (short run, long requests) completes fewer requests than arrive
 * but queues none. With fewer than {@link #MIN_ARRIVALS} arrivals, or all window arrivals at one instant, the
 * signals are NaN and the run is not flagged.
 *
 * @param offeredRps          (arrivals − 1) / (last arrival − first arrival), over the whole run
 * @param achievedRps         completions in the load window / its duration
 * @param overloadRatio       servable window arrivals / window completions (+∞ when none completed)
 * @param queueLenAtMid       requests waiting (not yet scheduled) at the middle arrival
 * @param queueLenAtEnd       requests waiting at the last arrival
 * @param queueGrowthFraction growth of the waiting queue over the window / servable window arrivals
 * @param queueTrendFraction  least-squares trend of the waiting queue over the window × its duration / servable
 *                            window arrivals
 * @param loadShedFraction    window arrivals rejected or timed out / servable window arrivals
 * @param latencyTrendRatio   mean e2e latency of the last 10 % of arrivals / of the middle 10 %
 * @param saturated           the rule above
 */
public record LoadAssessment(double offeredRps, double achievedRps, double overloadRatio, long queueLenAtMid,
                             long queueLenAtEnd, double queueGrowthFraction, double queueTrendFraction,
                             double loadShedFraction, double latencyTrendRatio, boolean saturated) {

    /** Window arrivals per window completion above which the run may be saturated. */
    public static final double OVERLOAD_RATIO_THRESHOLD = 1.1;
    /** Trend of the waiting queue, per window arrival, above which the run is saturated. */
    public static final double QUEUE_TREND_THRESHOLD = 0.02;
    /** Least rise of the fitted queue trend over the window, in requests, for the trend to count. */
    public static final int MIN_QUEUE_RISE = 10;
    /** Arrivals of the window at which the waiting queue is sampled for its trend. */
    public static final int QUEUE_SAMPLES = 17;
    /** Fraction of window arrivals rejected or timed out that confirms an overload. */
    public static final double LOAD_SHED_THRESHOLD = 0.05;
    /** Latency growth (last 10 % of arrivals vs middle 10 %) that confirms an overload. */
    public static final double LATENCY_TREND_THRESHOLD = 1.5;
    /** Fewest arrivals for which the signals are computed. */
    public static final int MIN_ARRIVALS = 20;

    /** Assesses a run whose last event was at {@code horizonSeconds}. */
    public static LoadAssessment of(RequestTable t, double horizonSeconds) {
        int n = t.size();
        double offered = n > 1 && t.arrivalTime(n - 1) > t.arrivalTime(0)
                ? (n - 1) / (t.arrivalTime(n - 1) - t.arrivalTime(0)) : Double.NaN;
        if (n < MIN_ARRIVALS) {
            return new LoadAssessment(offered, Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, false);
        }
        int mid = n / 2;
        int last = n - 1;
        double windowStart = t.arrivalTime(mid);
        double windowEnd = t.arrivalTime(last);
        double span = windowEnd - windowStart;
        long servable = 0;
        long shed = 0;
        for (int r = mid + 1; r <= last; r++) {
            Outcome o = t.outcome(r);
            if (!failsWhateverTheLoad(o)) {
                servable++;
            }
            if (o == Outcome.QUEUE_FULL || o == Outcome.TIMEOUT) {
                shed++;
            }
        }
        long completions = 0;
        for (int r = 0; r < n; r++) {
            double finish = t.finishTime(r);
            if (t.outcome(r) == Outcome.COMPLETED && finish > windowStart && finish <= windowEnd) {
                completions++;
            }
        }
        long waitingAtMid = waitingAt(t, mid);
        long waitingAtEnd = waitingAt(t, last);
        double trend = latencyTrend(t, horizonSeconds);
        if (!(span > 0) || servable == 0) {
            return new LoadAssessment(offered, Double.NaN, Double.NaN, waitingAtMid, waitingAtEnd, Double.NaN,
                    Double.NaN, Double.NaN, trend, false);
        }
        double overload = completions == 0 ? Double.POSITIVE_INFINITY : (double) servable / completions;
        double growth = (double) (waitingAtEnd - waitingAtMid) / servable;
        double rise = queueRise(t, mid, last);
        double queueTrend = rise / servable;
        double shedFraction = (double) shed / servable;
        boolean saturated = (queueTrend > QUEUE_TREND_THRESHOLD && rise >= MIN_QUEUE_RISE)
                || shedFraction > LOAD_SHED_THRESHOLD
                || (overload > OVERLOAD_RATIO_THRESHOLD && trend > LATENCY_TREND_THRESHOLD);
        return new LoadAssessment(offered, completions / span, overload, waitingAtMid, waitingAtEnd, growth,
                queueTrend, shedFraction, trend, saturated);
    }

    /** Failures that no amount of capacity would avoid: the request does not fit the model or the replica. */
    private static boolean failsWhateverTheLoad(Outcome o) {
        return o == Outcome.EXCEEDS_CONTEXT || o == Outcome.EXCEEDS_KV_CAPACITY || o == Outcome.EXCEEDS_TOKEN_BUDGET;
    }

    /**
     * Requests 0…{@code k} not yet out of the waiting queue when request {@code k} arrives: neither scheduled
     * nor failed by then (a later arrival cannot have left before it).
     */
    private static long waitingAt(RequestTable t, int k) {
        double now = t.arrivalTime(k);
        long waiting = 0;
        for (int r = 0; r <= k; r++) {
            double scheduled = t.firstScheduledTime(r);
            double left = Double.isNaN(scheduled) && t.outcome(r).isFailure() ? t.finishTime(r) : scheduled;
            if (!(left <= now)) {
                waiting++;
            }
        }
        return waiting;
    }

    /**
     * The rise of the waiting queue over the window {@code mid…last} read from its trend: the least-squares slope of
     * the queue length against time, sampled at {@value #QUEUE_SAMPLES} arrivals evenly spaced by index, times the
     * window's duration.
     */
    private static double queueRise(RequestTable t, int mid, int last) {
        double sumT = 0;
        double sumQ = 0;
        double[] times = new double[QUEUE_SAMPLES];
        double[] queue = new double[QUEUE_SAMPLES];
        for (int j = 0; j < QUEUE_SAMPLES; j++) {
            int k = mid + (int) Math.round((double) j * (last - mid) / (QUEUE_SAMPLES - 1));
            times[j] = t.arrivalTime(k);
            queue[j] = waitingAt(t, k);
            sumT += times[j];
            sumQ += queue[j];
        }
        double meanT = sumT / QUEUE_SAMPLES;
        double meanQ = sumQ / QUEUE_SAMPLES;
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < QUEUE_SAMPLES; j++) {
            sxy += (times[j] - meanT) * (queue[j] - meanQ);
            sxx += (times[j] - meanT) * (times[j] - meanT);
        }
        return sxx > 0 ? sxy / sxx * (times[QUEUE_SAMPLES - 1] - times[0]) : 0;
    }

    private static double latencyTrend(RequestTable t, double horizonSeconds) {
        int n = t.size();
        double middle = meanLatency(t, (int) (n * 0.45), (int) (n * 0.55), horizonSeconds);
        double last = meanLatency(t, (int) (n * 0.9), n, horizonSeconds);
        return middle > 0 ? last / middle : Double.NaN;
    }

    /** Mean e2e latency of the completed and in-flight requests among {@code from…to−1}; failures are left out. */
    private static double meanLatency(RequestTable t, int from, int to, double horizonSeconds) {
        double sum = 0;
        int count = 0;
        for (int r = from; r < to; r++) {
            Outcome o = t.outcome(r);
            if (o == Outcome.COMPLETED) {
                sum += t.finishTime(r) - t.arrivalTime(r);
                count++;
            } else if (o == Outcome.IN_FLIGHT) {
                sum += horizonSeconds - t.arrivalTime(r);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
