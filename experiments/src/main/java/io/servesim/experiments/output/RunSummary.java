package io.servesim.experiments.output;

import io.servesim.core.metrics.EnergySummary;
import io.servesim.core.metrics.PrefixCacheSummary;
import io.servesim.core.metrics.ProfileSlaResult;
import io.servesim.core.metrics.RunMetrics;

import java.io.PrintWriter;
import java.util.Locale;

/** The one-screen summary of a run that {@code servesim run} prints. */
public final class RunSummary {
    private RunSummary() {
    }

    public static void print(PrintWriter out, String title, RunMetrics m) {
        out.println(title);
        out.printf(Locale.ROOT, "  requests   arrived %,d  completed %,d  failed %,d  in flight %,d  (success %.1f %%)%n",
                m.arrived(), m.completed(), m.failed(), m.inFlight(), m.arrived() == 0 ? 0 : 100.0 * m.completed() / m.arrived());
        m.failures().forEach((reason, count) -> {
            if (count > 0) {
                out.printf(Locale.ROOT, "             %s: %,d%n", reason, count);
            }
        });
        if (m.closedLoop()) {
            // A closed loop cannot be overloaded: its clients wait. The arrival rate is what the service allowed.
            out.printf(Locale.ROOT, "  load       closed loop, %,d clients (offered load is an outcome): achieved %.2f req/s,"
                            + " arrivals %.2f req/s, %.0f tokens/s%n", m.closedLoopClients(), m.achievedRps(),
                    m.offeredRps(), m.throughputTokensPerSecond());
        } else {
            out.printf(Locale.ROOT, "  load       offered %.2f req/s  achieved %.2f req/s  %.0f output + %.0f input tokens/s%s%n",
                    m.offeredRps(), m.achievedRps(), m.throughputTokensPerSecond(), m.inputTokensPerSecond(),
                    m.saturated() ? "  SATURATED: latencies grow with the run length" : "");
            if (m.overloadRatio() >= RunMetrics.MASSIVE_OVERLOAD_RATIO) {
                out.printf(Locale.ROOT, "  WARNING    offered load is %.0fx what the run could serve (%.2f req/s): massively overloaded,"
                                + " latencies measure the queue, not the system; offer about %.2f req/s to study it%n",
                        m.overloadRatio(), m.achievedRps(), m.achievedRps());
            }
            out.printf(Locale.ROOT, "  overload   arrivals/completions %.2f, queue %,d -> %,d (trend %.3f per arrival), shed %.1f %%,"
                            + " latency trend %.2f%n",
                    m.overloadRatio(), m.load().queueLenAtMid(), m.load().queueLenAtEnd(), m.load().queueTrendFraction(),
                    100 * m.load().loadShedFraction(), m.latencyTrendRatio());
        }
        out.printf(Locale.ROOT, "  latency    %-6s %10s %10s %10s %10s   (TTFT-q: without queueing)%n", "", "mean", "p50",
                "p95", "p99");
        row(out, "TTFT", m.ttft());
        row(out, "TTFT-q", m.ttftNoQueue());
        row(out, "TPOT", m.tpot());
        row(out, "ITL", m.itl());
        row(out, "e2e", m.e2e());
        row(out, "e2e/tok", m.normLatency());
        for (ProfileSlaResult p : m.slaByProfile()) {
            out.printf(Locale.ROOT, "  SLA %-6s request (TTFT %.2f s, TPOT %.3f s) violated %.1f %%; per-token %.3f s violated %.1f %%%n",
                    m.slaByProfile().size() == 1 ? "" : p.profile(), p.sla().ttftSeconds(), p.sla().tpotSeconds(),
                    100 * p.requestViolationRate(), p.sla().normalizedLatencySecondsPerToken(), 100 * p.normViolationRate());
        }
        out.printf(Locale.ROOT, "  goodput    %.2f req/s, %.1f %% of arrivals meet every limit (failed and unfinished requests count as misses)%n",
                m.goodputRps(), 100 * m.goodputFraction());
        out.printf(Locale.ROOT, "  resources  batch %.1f  GPU busy %.1f %% (min %.1f, max %.1f)  KV mean %.1f %% peak %.1f %%"
                        + "  preemptions %,d%n", m.meanBatchSize(), 100 * m.gpuUtilMean(), 100 * m.gpuUtilMin(),
                100 * m.gpuUtilMax(), 100 * m.kvUsageMean(), 100 * m.kvUsagePeak(), m.preemptions());
        out.printf(Locale.ROOT, "  utilisation  MFU %.1f %%  MBU %.1f %% (model FLOPs and HBM bytes over peak, per GPU)%n",
                100 * m.mfu(), 100 * m.mbu());
        PrefixCacheSummary cache = m.prefixCache();
        if (cache.lookups() > 0) {
            out.printf(Locale.ROOT, "  prefix     cache hits %.1f %% of prompt tokens, %.1f %% of requests; prefill computed %,d tokens%n",
                    100 * cache.tokenHitRate(), 100 * cache.requestHitRate(), cache.prefillTokensComputed());
        } else {
            out.printf(Locale.ROOT, "  prefix     caching off; prefill computed %,d tokens%n", cache.prefillTokensComputed());
        }
        EnergySummary energy = m.energy();
        out.printf(Locale.ROOT, "  energy     %.1f kJ, average %.0f W; %.1f J per request, %.3f J per output token%n",
                energy.energyJoules() / 1e3, energy.averagePowerWatts(), energy.energyPerRequestJoules(),
                energy.energyPerOutputTokenJoules());
        if (energy.kvTransfers() > 0) {
            out.printf(Locale.ROOT, "  transfer   %,d KV transfers from prefill to decode replicas, mean %.4f s%n",
                    energy.kvTransfers(), energy.kvTransferMeanSeconds());
        }
        out.printf(Locale.ROOT, "  engine     simulated %.1f s in %.2f s wall (%,.0f requests/s), %,d events, %,d iterations%n",
                m.simHorizonSeconds(), m.wallSeconds(), m.wallSeconds() > 0 ? m.arrived() / m.wallSeconds() : 0,
                m.events(), m.iterations());
    }

    private static void row(PrintWriter out, String name, RunMetrics.LatencySummary s) {
        out.printf(Locale.ROOT, "             %-6s %9.4fs %9.4fs %9.4fs %9.4fs%n", name, s.mean(), s.p50(), s.p95(), s.p99());
    }
}
