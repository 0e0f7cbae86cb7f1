package io.servesim.core.metrics;

import io.servesim.core.workload.Sla;
import io.servesim.core.engine.Cluster;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.stats.LogHistogram;

import java.util.ArrayList;
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
 * window: a failed request or one still in flight counts as a violation. Each request is judged by the SLA of
 * its own profile; {@link #slaByProfile()} has the figures per profile.
 *
 * <p>Whether the run kept up with its arrivals is judged over the whole run by {@link LoadAssessment}
 * (see docs/load-and-capacity.md).
 *
 * <p>Utilisation is over GPUs ({@link GpuUsage}): a pipeline stage's GPUs are busy only for their stage's work.
 * {@code gpus} lists every GPU; {@code gpuCommFraction} is the mean over busy GPUs of communication / busy, and
 * {@code gpuBalance} is max |busy_i − mean| / mean over GPUs.
 *
 * @param throughputRps completed requests / simulated horizon (the drain after the last arrival included)
 * @param throughputTokensPerSecond output tokens of completed requests / horizon
 * @param inputTokensPerSecond prompt tokens of completed requests / horizon
 * @param ttftNoQueue   first scheduling to first token (TTFT without the queueing), over the measured window
 * @param itl           inter-token latency over every decode token of the run (all arrivals: it is taken from the
 *                      engines' iterations, {@link io.servesim.core.engine.ReplicaStats#interTokenSeconds()}),
 *                      percentiles within 0.5 %
 * @param sla           the SLA of the first profile (the SLA of every request when {@link #slaMixed()} is false)
 * @param goodputRps    throughputRps × (good / completed) over the measured window: never above throughputRps
 * @param closedLoopClients the concurrency of a closed-loop workload, 0 for an open loop; in a closed loop the
 *                      arrival rate ({@link #offeredRps()}) is an outcome of the service, not an input
 * @param prefixCache   the prefix cache's effect over the whole cluster (prefill tokens computed, hit rates)
 * @param energy        the GPUs' energy over the run and the KV transfers of a disaggregated cluster
 * @param mfu           model FLOPs utilisation, the mean over GPUs of {@link GpuUsage#mfu()}; NaN when unknown
 * @param mbu           memory bandwidth utilisation, the mean over GPUs of {@link GpuUsage#mbu()}; NaN when unknown
 */
public record RunMetrics(
        long arrived, long completed, long failed, long inFlight, Map<Outcome, Long> failures,
        LoadAssessment load, double throughputRps, double throughputTokensPerSecond,
        double inputTokensPerSecond, LatencySummary ttft, LatencySummary ttftNoQueue, LatencySummary tpot,
        LatencySummary itl, LatencySummary e2e, LatencySummary normLatency, LatencySummary queueDelay,
        Sla sla, List<ProfileSlaResult> slaByProfile, double slaRequestViolationRate, double slaNormViolationRate,
        double goodputRps, double goodputFraction,
        double meanBatchSize, double gpuUtilMean, double gpuUtilMin, double gpuUtilMax,
        double kvUsageMean, double kvUsagePeak, long preemptions, long iterations, long events,
        double simHorizonSeconds, double wallSeconds, List<GpuUsage> gpus, double gpuCommFraction, double gpuBalance,
        int closedLoopClients, PrefixCacheSummary prefixCache, EnergySummary energy, double mfu, double mbu) {

    /**
     * Arrivals per completion at or above which a run is massively overloaded: the offered load is ten times what the
     * run could serve, so its latencies measure how long the queue grew, not the system.
     */
    public static final double MASSIVE_OVERLOAD_RATIO = 10;

    /** Mean and percentiles of one latency, in seconds. */
    public record LatencySummary(double mean, double p50, double p90, double p95, double p99) {
        static LatencySummary of(Percentiles p) {
            return new LatencySummary(p.mean(), p.percentile(50), p.percentile(90), p.percentile(95), p.percentile(99));
        }

        static LatencySummary of(LogHistogram h) {
            return new LatencySummary(h.meanSeconds(), h.quantileSeconds(0.5), h.quantileSeconds(0.9),
                    h.quantileSeconds(0.95), h.quantileSeconds(0.99));
        }
    }

    /** Summarises a run over all its arrivals. */
    public static RunMetrics of(SimulationResult result) {
        return of(result, 0.0);
    }

    /**
     * Summarises a run, excluding the first and the last {@code excludedFraction} of arrivals from
     * latency, SLA and goodput figures (steady state). Throughput, utilisation and the load assessment cover the
     * whole run.
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
        long promptTokens = 0;
        Map<Outcome, Long> failures = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.failures()) {
            failures.put(o, 0L);
        }
        for (int r = 0; r < n; r++) {
            Outcome o = t.outcome(r);
            if (o == Outcome.COMPLETED) {
                completed++;
                generatedTokens += t.outputTokens(r);
                promptTokens += t.promptTokens(r);
            } else if (o.isFailure()) {
                failed++;
                failures.merge(o, 1L, Long::sum);
            }
        }

        int window = Math.max(0, to - from);
        double[] ttft = new double[window];
        double[] ttftNoQueue = new double[window];
        double[] tpot = new double[window];
        double[] e2e = new double[window];
        double[] norm = new double[window];
        double[] queue = new double[window];
        int nLat = 0;
        int nTpot = 0;
        int profileCount = profiles.size();
        long[] arrivals = new long[profileCount];
        long[] requestViolations = new long[profileCount];
        long[] normViolations = new long[profileCount];
        long[] good = new long[profileCount];
        for (int r = from; r < to; r++) {
            int p = t.profile(r);
            arrivals[p]++;
            if (t.outcome(r) != Outcome.COMPLETED) {
                requestViolations[p]++;
                normViolations[p]++;
                continue;
            }
            Sla s = profiles.get(p).sla();
            double arrival = t.arrivalTime(r);
            double first = t.firstTokenTime(r) - arrival;
            double total = t.finishTime(r) - arrival;
            int out = t.outputTokens(r);
            double perToken = total / out;
            ttft[nLat] = first;
            ttftNoQueue[nLat] = t.firstTokenTime(r) - t.firstScheduledTime(r);
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
                requestViolations[p]++;
            }
            if (!normOk) {
                normViolations[p]++;
            }
            if (requestOk && normOk) {
                good[p]++;
            }
        }
        List<ProfileSlaResult> byProfile = new ArrayList<>(profileCount);
        long allRequestViolations = 0;
        long allNormViolations = 0;
        long allGood = 0;
        for (int p = 0; p < profileCount; p++) {
            ProfileInfo info = profiles.get(p);
            byProfile.add(new ProfileSlaResult(info.name(), info.sla(), arrivals[p], requestViolations[p],
                    normViolations[p], good[p]));
            allRequestViolations += requestViolations[p];
            allNormViolations += normViolations[p];
            allGood += good[p];
        }

        double horizon = result.horizonSeconds();
        double throughput = horizon > 0 ? completed / horizon : 0;
        LoadAssessment load = LoadAssessment.of(t, horizon);

        Cluster cluster = result.cluster();
        long iterations = 0;
        long batchSum = 0;
        double kvMeanSum = 0;
        double kvPeak = 0;
        long preemptions = 0;
        LogHistogram interToken = new LogHistogram();
        for (int i = 0; i < cluster.replicaCount(); i++) {
            Replica rep = cluster.replica(i);
            interToken.addAll(rep.stats().interTokenSeconds());
            iterations += rep.stats().iterations();
            batchSum += rep.stats().batchSequencesSum();
            double blocks = rep.totalKvBlocks();
            kvMeanSum += horizon > 0 ? rep.stats().kvBlockSeconds() / (blocks * horizon) : 0;
            kvPeak = Math.max(kvPeak, rep.stats().peakUsedBlocks() / blocks);
            preemptions += rep.stats().preemptions();
        }
        int replicas = cluster.replicaCount();
        List<GpuUsage> gpus = List.copyOf(GpuUsage.of(result));
        DoubleSummaryStatistics util = gpus.stream().mapToDouble(GpuUsage::busyFraction).summaryStatistics();
        return new RunMetrics(n, completed, failed, n - completed - failed, failures,
                load, throughput, horizon > 0 ? generatedTokens / horizon : 0, horizon > 0 ? promptTokens / horizon : 0,
                LatencySummary.of(new Percentiles(ttft, nLat)), LatencySummary.of(new Percentiles(ttftNoQueue, nLat)),
                LatencySummary.of(new Percentiles(tpot, nTpot)), LatencySummary.of(interToken),
                LatencySummary.of(new Percentiles(e2e, nLat)), LatencySummary.of(new Percentiles(norm, nLat)),
                LatencySummary.of(new Percentiles(queue, nLat)),
                profiles.get(0).sla(), List.copyOf(byProfile),
                fraction(allRequestViolations, window), fraction(allNormViolations, window),
                nLat == 0 ? 0 : throughput * allGood / nLat,
                fraction(allGood, window),
                iterations == 0 ? 0 : (double) batchSum / iterations,
                util.getAverage(), util.getMin(), util.getMax(), kvMeanSum / replicas, kvPeak, preemptions, iterations,
                result.events(), horizon, result.wallSeconds(),
                gpus, GpuUsage.meanCommunicationFraction(gpus), GpuUsage.balance(gpus), result.closedLoopClients(),
                PrefixCacheSummary.of(result), EnergySummary.of(result, gpus, completed, generatedTokens),
                gpus.stream().mapToDouble(GpuUsage::mfu).average().orElse(Double.NaN),
                gpus.stream().mapToDouble(GpuUsage::mbu).average().orElse(Double.NaN));
    }

    private static double fraction(long count, long of) {
        return of == 0 ? Double.NaN : (double) count / of;
    }

    /** Whether the workload was a closed loop (then {@link #offeredRps()} measures an outcome, not a setting). */
    public boolean closedLoop() {
        return closedLoopClients > 0;
    }

    /** Arrivals per second over the whole arrival span. */
    public double offeredRps() {
        return load.offeredRps();
    }

    /** Completions per second while the load was applied (the load window of {@link LoadAssessment}). */
    public double achievedRps() {
        return load.achievedRps();
    }

    public boolean saturated() {
        return load.saturated();
    }

    public double overloadRatio() {
        return load.overloadRatio();
    }

    public double latencyTrendRatio() {
        return load.latencyTrendRatio();
    }

    /** Whether the profiles carry different SLAs (then the single deadline columns are NaN). */
    public boolean slaMixed() {
        for (ProfileSlaResult p : slaByProfile) {
            if (!p.sla().equals(sla)) {
                return true;
            }
        }
        return false;
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
        c.put("offered_rps", load.offeredRps());
        c.put("achieved_rps", load.achievedRps());
        c.put("throughput_rps", throughputRps);
        c.put("throughput_tokens_per_s", throughputTokensPerSecond);
        c.put("throughput_input_tokens_per_s", inputTokensPerSecond);
        c.put("throughput_total_tokens_per_s", inputTokensPerSecond + throughputTokensPerSecond);
        c.put("saturated", load.saturated());
        c.put("overload_ratio", load.overloadRatio());
        c.put("latency_trend_ratio", load.latencyTrendRatio());
        c.put("queue_len_at_mid_arrival", load.queueLenAtMid());
        c.put("queue_len_at_last_arrival", load.queueLenAtEnd());
        c.put("queue_growth_fraction", load.queueGrowthFraction());
        c.put("queue_trend_fraction", load.queueTrendFraction());
        c.put("load_shed_fraction", load.loadShedFraction());
        c.put("closed_loop_clients", closedLoop() ? Integer.valueOf(closedLoopClients) : null);
        putLatency(c, "ttft", ttft);
        putLatency(c, "ttft_no_queue", ttftNoQueue);
        putLatency(c, "tpot", tpot);
        putLatency(c, "itl", itl);
        putLatency(c, "e2e", e2e);
        putLatency(c, "norm_latency", normLatency);
        putLatency(c, "queue_delay", queueDelay);
        boolean mixed = slaMixed();
        c.put("sla_ttft_s", mixed ? Double.NaN : sla.ttftSeconds());
        c.put("sla_tpot_s", mixed ? Double.NaN : sla.tpotSeconds());
        c.put("sla_norm_latency_s_per_token", mixed ? Double.NaN : sla.normalizedLatencySecondsPerToken());
        c.put("sla_per_profile", mixed);
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
        c.put("mfu", mfu);
        c.put("mbu", mbu);
        c.put("preemptions", preemptions);
        c.put("iterations", iterations);
        c.put("events", events);
        c.put("sim_horizon_s", simHorizonSeconds);
        c.put("gpu_comm_fraction", gpuCommFraction);
        c.put("gpu_balance", gpuBalance);
        c.put("prefill_tokens_computed", prefixCache.prefillTokensComputed());
        c.put("prefix_hit_rate_tokens", prefixCache.tokenHitRate());
        c.put("prefix_hit_rate_requests", prefixCache.requestHitRate());
        c.put("energy_j", energy.energyJoules());
        c.put("avg_power_w", energy.averagePowerWatts());
        c.put("energy_per_request_j", energy.energyPerRequestJoules());
        c.put("energy_per_output_token_j", energy.energyPerOutputTokenJoules());
        c.put("kv_transfers", energy.kvTransfers());
        c.put("kv_transfer_mean_s", energy.kvTransferMeanSeconds());
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
