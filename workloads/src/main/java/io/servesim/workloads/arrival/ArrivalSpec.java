package io.servesim.workloads.arrival;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.servesim.core.config.ConfigException;

import java.util.List;
import java.util.SplittableRandom;

/**
 * How a profile's requests arrive, chosen by {@code type:}. All rates are requests per second. The
 * patterns ({@code poisson}, {@code gamma}, {@code constant}) take their rate from the profile; {@code on_off}
 * and {@code trace} carry their own. {@code closed_loop} has none: its clients send when their answers come back,
 * so the rate is an outcome of the run.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ArrivalSpec.Poisson.class, name = "poisson"),
        @JsonSubTypes.Type(value = ArrivalSpec.Gamma.class, name = "gamma"),
        @JsonSubTypes.Type(value = ArrivalSpec.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = ArrivalSpec.OnOff.class, name = "on_off"),
        @JsonSubTypes.Type(value = ArrivalSpec.Trace.class, name = "trace"),
        @JsonSubTypes.Type(value = ArrivalSpec.ClosedLoop.class, name = "closed_loop")
})
public sealed interface ArrivalSpec permits ArrivalSpec.Pattern, ArrivalSpec.Trace, ArrivalSpec.ClosedLoop {

    /**
     * Whether the profile must not give {@code share} or {@code rate_per_second}: the spec fixes the rate itself
     * ({@code on_off}, {@code trace}) or has none ({@code closed_loop}).
     */
    boolean setsOwnRate();

    /** A synthetic arrival process, scalable to any long-run rate. */
    sealed interface Pattern extends ArrivalSpec permits Poisson, Gamma, Constant, OnOff {

        @Override
        default boolean setsOwnRate() {
            return false;
        }

        /** The long-run rate the spec sets itself, or NaN when it takes the profile's rate. */
        default double ownRatePerSecond() {
            return Double.NaN;
        }

        /** The process with long-run rate {@code ratePerSecond}, drawing from {@code random}. */
        ArrivalProcess open(double ratePerSecond, SplittableRandom random);
    }

    /** Exponential inter-arrival times. */
    record Poisson() implements Pattern {
        @Override
        public ArrivalProcess open(double ratePerSecond, SplittableRandom random) {
            return new PoissonArrivals(ratePerSecond, random);
        }
    }

    /** Gamma inter-arrival times with coefficient of variation {@code cv} (1 = Poisson, &gt; 1 = bursty). */
    record Gamma(Double cv) implements Pattern {
        public Gamma {
            ConfigException.require(cv != null && cv > 0 && cv <= 100, "cv", "must be in (0, 100]", cv);
        }

        @Override
        public ArrivalProcess open(double ratePerSecond, SplittableRandom random) {
            return new GammaArrivals(ratePerSecond, cv, random);
        }
    }

    /** Evenly spaced arrivals. */
    record Constant() implements Pattern {
        @Override
        public ArrivalProcess open(double ratePerSecond, SplittableRandom random) {
            return new ConstantArrivals(ratePerSecond);
        }
    }

    /**
     * Bursts (Markov-modulated Poisson): Poisson at {@code burst_rate_per_second} for exponential periods of mean
     * {@code mean_burst_seconds}, then at {@code calm_rate_per_second} (may be 0) for periods of mean
     * {@code mean_calm_seconds}. Long-run rate = (burst·meanBurst + calm·meanCalm) / (meanBurst + meanCalm).
     */
    record OnOff(Double burstRatePerSecond, Double calmRatePerSecond, Double meanBurstSeconds,
                 Double meanCalmSeconds) implements Pattern {
        public OnOff {
            ConfigException.require(burstRatePerSecond != null && burstRatePerSecond > 0
                    && Double.isFinite(burstRatePerSecond), "burst_rate_per_second", "must be > 0", burstRatePerSecond);
            ConfigException.require(calmRatePerSecond != null && calmRatePerSecond >= 0
                            && calmRatePerSecond <= burstRatePerSecond, "calm_rate_per_second",
                    "must be in [0, burst_rate_per_second]", calmRatePerSecond);
            ConfigException.require(meanBurstSeconds != null && meanBurstSeconds > 0
                    && Double.isFinite(meanBurstSeconds), "mean_burst_seconds", "must be > 0", meanBurstSeconds);
            ConfigException.require(meanCalmSeconds != null && meanCalmSeconds > 0
                    && Double.isFinite(meanCalmSeconds), "mean_calm_seconds", "must be > 0", meanCalmSeconds);
        }

        @Override
        public boolean setsOwnRate() {
            return true;
        }

        @Override
        public double ownRatePerSecond() {
            return (burstRatePerSecond * meanBurstSeconds + calmRatePerSecond * meanCalmSeconds)
                    / (meanBurstSeconds + meanCalmSeconds);
        }

        /** Both rates scaled by ratePerSecond / {@link #ownRatePerSecond()}; durations unchanged. */
        @Override
        public ArrivalProcess open(double ratePerSecond, SplittableRandom random) {
            double factor = ratePerSecond / ownRatePerSecond();
            return new OnOffArrivals(burstRatePerSecond * factor, calmRatePerSecond * factor,
                    meanBurstSeconds, meanCalmSeconds, random);
        }
    }

    /**
     * Replay of a CSV trace (Azure {@code TIMESTAMP,ContextTokens,GeneratedTokens} or plain
     * {@code arrival_s,prompt_tokens,output_tokens}); the trace also gives each request's lengths.
     *
     * @param path        the file, relative to the folder of the configuration that names it, or a bundled trace
     *                    ({@code bundled:azure-code-2023}, {@code bundled:azure-conv-2023})
     * @param timeScale   multiplies every arrival time (2 = half as fast); default 1
     * @param loop        repeat the trace until the workload's request count or duration is reached; default false
     * @param maxRequests use only the first this-many rows of the file; default all
     */
    record Trace(String path, Double timeScale, Boolean loop, Long maxRequests) implements ArrivalSpec {
        public Trace {
            ConfigException.require(path != null && !path.isBlank(), "path", "is required", path);
            timeScale = timeScale == null ? 1.0 : timeScale;
            ConfigException.require(timeScale > 0 && Double.isFinite(timeScale), "time_scale", "must be > 0", timeScale);
            loop = loop != null && loop;
            ConfigException.require(maxRequests == null || maxRequests >= 1, "max_requests", "must be >= 1", maxRequests);
        }

        @Override
        public boolean setsOwnRate() {
            return true;
        }
    }

    /**
     * Closed loop: {@code concurrency} clients, each sending its next request when its previous one has ended
     * (completed or failed) plus a think time — vLLM's benchmark with {@code --max-concurrency}, genai-perf. The
     * arrival rate is then an outcome of the run, not a setting; the workload's {@code requests} bounds the total.
     *
     * @param concurrency           the clients N, ≥ 1
     * @param thinkTimeSeconds      mean time from a request's end to its client's next request; default 0
     * @param thinkTimeDistribution {@code constant} (default: every think time is the mean) or {@code exponential}
     * @param rampUpSeconds         client i (0 … N−1) sends its first request at i · ramp_up_seconds / N; default 0,
     *                              every client at t = 0
     */
    record ClosedLoop(Integer concurrency, Double thinkTimeSeconds, String thinkTimeDistribution, Double rampUpSeconds)
            implements ArrivalSpec {
        /** The think-time distributions, by name. */
        public static final List<String> THINK_TIME_DISTRIBUTIONS = List.of("constant", "exponential");

        public ClosedLoop {
            ConfigException.require(concurrency != null && concurrency >= 1, "concurrency", "must be an integer >= 1",
                    concurrency);
            thinkTimeSeconds = thinkTimeSeconds == null ? 0.0 : thinkTimeSeconds;
            ConfigException.require(thinkTimeSeconds >= 0 && Double.isFinite(thinkTimeSeconds), "think_time_seconds",
                    "must be >= 0", thinkTimeSeconds);
            thinkTimeDistribution = thinkTimeDistribution == null ? "constant" : thinkTimeDistribution;
            ConfigException.require(THINK_TIME_DISTRIBUTIONS.contains(thinkTimeDistribution), "think_time_distribution",
                    "must be one of " + THINK_TIME_DISTRIBUTIONS, thinkTimeDistribution);
            rampUpSeconds = rampUpSeconds == null ? 0.0 : rampUpSeconds;
            ConfigException.require(rampUpSeconds >= 0 && Double.isFinite(rampUpSeconds), "ramp_up_seconds",
                    "must be >= 0", rampUpSeconds);
        }

        /** N clients sending back to back (no think time), all at t = 0. */
        public static ClosedLoop of(int concurrency) {
            return new ClosedLoop(concurrency, 0.0, null, null);
        }

        @Override
        public boolean setsOwnRate() {
            return true;
        }

        /** Whether think times are exponential (else constant). */
        public boolean exponentialThinkTime() {
            return thinkTimeDistribution.equals("exponential");
        }

        /** When client {@code client} (0 … N−1) sends its first request. */
        public double firstSendSeconds(int client) {
            return rampUpSeconds * client / concurrency;
        }
    }
}
