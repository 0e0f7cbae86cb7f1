package io.servesim.core.metrics;

import io.servesim.core.engine.Cluster;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.workload.ProfileInfo;

import java.util.DoubleSummaryStatistics;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of one run: what researchers report. Computed once from the per-request table and the
 * replicas' counters; {@link #columns()} gives the values in the order of docs/results-schema.md.
 *
 * <p>Latencies are over completed requests whose arrival lies in the measured window (all requests
 * unless a warm-up/cool-down fraction is excluded). SLA rates and goodput are over all arrivals in the
 * window: a failed request or one still in flight counts as a violation.
 *
 * <p>Utilisation is over GPUs ({@link GpuUsage}): a pipeline stage's GPUs are busy only for their stage's work.
 * {@code gpus} lists every GPU; {@code gpuCommFraction} is the mean over busy GPUs of communication / busy, and
 * {@code gpuBalance} is max |busy_i − mean| / mean over GPUs.
 */
public record RunMetrics(
        long arrived, long completed, long failed, long inFlight, Map<Outcome, Long> failures,
        double offeredRps, double achievedRps, double throughputTokensPerSecond,
        boolean saturated, double overloadRatio, double latencyTrendRatio,
        LatencySummary ttft, LatencySummary tpot, LatencySummary e2e, LatencySummary normLatency,
        LatencySummary queueDelay,
        Sla sla, double slaRequestViolationRate, double slaNormViolationRate, double goodputRps, double goodputFraction,
        double meanBatchSize, double gpuUtilMean, double gpuUtilMin, double gpuUtilMax,
        double kvUsageMean, double kvUsagePeak, long preemptions, long iterations, long events,
        double simHorizonSeconds, double wallSeconds, List<GpuUsage> gpus, double gpuCommFraction, double gpuBalance) {

    /** Overload ratio above which a run is flagged saturated (offered load 10 % above what was served). */
    public static final double SATURATION_OVERLOAD_RATIO = 1.1;
    /** Latency growth (last 10 % of arrivals vs middle 10 %) above which a run is flagged saturated. */
    public static final double SATURATION_LATENCY_TREND = 2.0;

    /** Mean and percentiles of one latency, in seconds. */
    public record LatencySummary(double mean, double p50, double p90, double p95, double p99) {
        static LatencySummary of(Percentiles p) {
            return new LatencySummary(p.mean(), p.percentile(50), p.percentile(90), p.percentile(95), p.percentile(99));
        }
    }

    /** Summarises a run over all its arrivals. */
    public static RunMetrics of(SimulationResult result) {
        return of(result, 0.0);
    }

    /**
     * Summarises a run, excluding the first and the last {@code excludedFraction} of arrivals from
     * latency, SLA and goodput figures (steady state). Throughput and utilisation cover the whole run.
     */
    public static RunMetrics of(SimulationResult result, double excludedFraction) {
        if (!(excludedFraction >= 0 && excludedFraction < 0.5)) {
            throw new IllegalArgumentException("warmup fraction must be in [0, 0.5), got " + excludedFraction);
        }
        RequestTable t = result.requests();
        int n = t.size();
        int from = (int) Math.floor(n * excludedFraction);
        int to = n - from;
        List<ProfileInfo> profiles = result.profiles();

        long completed = 0;
        long failed = 0;
        long generatedTokens = 0;
        Map<Outcome, Long> failures = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.failures()) {
            failures.put(o, 0L);
        }
        for (int r = 0; r < n; r++) {
            Outcome o = t.outcome(r);
            if (o == Outcome.COMPLETED) {
                completed++;
                generatedTokens += t.outputTokens(r);
            } else if (o.isFailure()) {
                failed++;
                failures.merge(o, 1L, Long::sum);
            }
        }

        int window = Math.max(0, to - from);
        double[] ttft = new double[window];
        double[] tpot = new double[window];
        double[] e2e = new double[window];
        double[] norm = new double[window];
        double[] queue = new double[window];
        int nLat = 0;
        int nTpot = 0;
        long requestViolations = 0;
        long normViolations = 0;
        long good = 0;
        for (int r = from; r < to; r++) {
            if (t.outcome(r) != Outcome.COMPLETED) {
                requestViolations++;
                normViolations++;
                continue;
            }
            Sla s = profiles.get(t.profile(r)).sla();
            double arrival = t.arrivalTime(r);
            double first = t.firstTokenTime(r) - arrival;
            double total = t.finishTime(r) - arrival;
            int out = t.outputTokens(r);
            double perToken = total / out;
            ttft[nLat] = first;
            e2e[nLat] = total;
            norm[nLat] = perToken;
            queue[nLat] = t.firstScheduledTime(r) - arrival;
            nLat++;
            boolean tpotOk = true;
            if (out > 1) {
                double tp = (t.finishTime(r) - t.firstTokenTime(r)) / (out - 1);
                tpot[nTpot++] = tp;
                tpotOk = tp <= s.tpotSeconds();
            }
            boolean requestOk = first <= s.ttftSeconds() && tpotOk;
            boolean normOk = perToken <= s.normalizedLatencySecondsPerToken();
            if (!requestOk) {
                requestViolations++;
            }
            if (!normOk) {
                normViolations++;
            }
            if (requestOk && normOk) {
                good++;
            }
        }

        double horizon = result.horizonSeconds();
        double firstArrival = n > 0 ? t.arrivalTime(0) : 0;
        double lastArrival = n > 0 ? t.arrivalTime(n - 1) : 0;
        double arrivalSpan = lastArrival - firstArrival;
        double offered = n > 1 && arrivalSpan > 0 ? (n - 1) / arrivalSpan : Double.NaN;
        double servedSpan = horizon - firstArrival;
        double achieved = servedSpan > 0 ? completed / servedSpan : Double.NaN;
        double overload = achieved > 0 ? offered / achieved : Double.NaN;
        double trend = latencyTrend(t);
        boolean saturated = overload > SATURATION_OVERLOAD_RATIO || trend > SATURATION_LATENCY_TREND
                || (completed == 0 && n > 0);

        Cluster cluster = result.cluster();
        long iterations = 0;
        long batchSum = 0;
        double kvMeanSum = 0;
        double kvPeak = 0;
        long preemptions = 0;
        for (int i = 0; i < cluster.replicaCount(); i++) {
            Replica rep = cluster.replica(i);
            iterations += rep.iterations();
            batchSum += rep.batchSequencesSum();
            double blocks = rep.totalKvBlocks();
            kvMeanSum += horizon > 0 ? rep.kvBlockSeconds() / (blocks * horizon) : 0;
            kvPeak = Math.max(kvPeak, rep.peakUsedBlocks() / blocks);
            preemptions += rep.preemptions();
        }
        int replicas = cluster.replicaCount();
        double windowArrivals = window;
        List<GpuUsage> gpus = List.copyOf(GpuUsage.of(result));
        DoubleSummaryStatistics util = gpus.stream().mapToDouble(GpuUsage::busyFraction).summaryStatistics();
        return new RunMetrics(n, completed, failed, n - completed - failed, failures,
                offered, achieved, horizon > 0 ? generatedTokens / horizon : 0,
                saturated, overload, trend,
                LatencySummary.of(new Percentiles(ttft, nLat)), LatencySummary.of(new Percentiles(tpot, nTpot)),
                LatencySummary.of(new Percentiles(e2e, nLat)), LatencySummary.of(new Percentiles(norm, nLat)),
                LatencySummary.of(new Percentiles(queue, nLat)),
                profiles.get(0).sla(),
                window == 0 ? 0 : requestViolations / windowArrivals,
                window == 0 ? 0 : normViolations / windowArrivals,
                horizon > 0 ? good / horizon : 0,
                window == 0 ? 0 : good / windowArrivals,
                iterations == 0 ? 0 : (double) batchSum / iterations,
                util.getAverage(), util.getMin(), util.getMax(), kvMeanSum / replicas, kvPeak, preemptions, iterations,
                result.events(), horizon, result.wallSeconds(),
                gpus, GpuUsage.meanCommunicationFraction(gpus), GpuUsage.balance(gpus));
    }

    /**
     * Mean end-to-end latency of the last 10 % of arrivals over that of the middle 10 % (arrivals
     * 45 %–55 %); unfinished requests count with their wait up to the horizon. Near 1 when the run is
     * in steady state; it grows with the run length when the queue grows without bound.
     */
    private static double latencyTrend(RequestTable t) {
        int n = t.size();
        if (n < 20) {
            return Double.NaN;
        }
        double middle = meanLatency(t, (int) (n * 0.45), (int) (n * 0.55));
        double last = meanLatency(t, (int) (n * 0.9), n);
        return middle > 0 ? last / middle : Double.NaN;
    }

    private static double meanLatency(RequestTable t, int from, int to) {
        double sum = 0;
        int count = 0;
        for (int r = from; r < to; r++) {
            if (t.outcome(r) == Outcome.COMPLETED) {
                sum += t.finishTime(r) - t.arrivalTime(r);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The summary as named columns, in the order of docs/results-schema.md. Only simulated quantities:
     * the same seed gives the same values, bit for bit ({@link #wallSeconds()} is reported separately).
     */
    public Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("arrived", arrived);
        c.put("completed", completed);
        c.put("failed", failed);
        c.put("in_flight", inFlight);
        c.put("success_rate", arrived == 0 ? 0.0 : (double) completed / arrived);
        for (Outcome o : Outcome.failures()) {
            c.put("failed_" + o.name().toLowerCase(java.util.Locale.ROOT), failures.get(o));
        }
        c.put("offered_rps", offeredRps);
        c.put("achieved_rps", achievedRps);
        c.put("throughput_rps", achievedRps);
        c.put("throughput_tokens_per_s", throughputTokensPerSecond);
        c.put("saturated", saturated);
        c.put("overload_ratio", overloadRatio);
        c.put("latency_trend_ratio", latencyTrendRatio);
        putLatency(c, "ttft", ttft);
        putLatency(c, "tpot", tpot);
        putLatency(c, "e2e", e2e);
        putLatency(c, "norm_latency", normLatency);
        putLatency(c, "queue_delay", queueDelay);
        c.put("sla_ttft_s", sla.ttftSeconds());
        c.put("sla_tpot_s", sla.tpotSeconds());
        c.put("sla_norm_latency_s_per_token", sla.normalizedLatencySecondsPerToken());
        c.put("sla_request_violation_rate", slaRequestViolationRate);
        c.put("sla_norm_violation_rate", slaNormViolationRate);
        c.put("goodput_rps", goodputRps);
        c.put("goodput_fraction", goodputFraction);
        c.put("mean_batch_size", meanBatchSize);
        c.put("gpu_util_mean", gpuUtilMean);
        c.put("gpu_util_min", gpuUtilMin);
        c.put("gpu_util_max", gpuUtilMax);
        c.put("kv_usage_mean", kvUsageMean);
        c.put("kv_usage_peak", kvUsagePeak);
        c.put("preemptions", preemptions);
        c.put("iterations", iterations);
        c.put("events", events);
        c.put("sim_horizon_s", simHorizonSeconds);
        c.put("gpu_comm_fraction", gpuCommFraction);
        c.put("gpu_balance", gpuBalance);
        return c;
    }

    private static void putLatency(Map<String, Object> c, String prefix, LatencySummary s) {
        c.put(prefix + "_mean_s", s.mean());
        c.put(prefix + "_p50_s", s.p50());
        c.put(prefix + "_p90_s", s.p90());
        c.put(prefix + "_p95_s", s.p95());
        c.put(prefix + "_p99_s", s.p99());
    }
}
