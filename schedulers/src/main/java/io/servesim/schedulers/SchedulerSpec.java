package io.servesim.schedulers;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.servesim.core.config.ConfigException;
import io.servesim.schedulers.batch.BinSelectionPolicy;
import io.servesim.schedulers.batch.CapacityPolicy;
import io.servesim.schedulers.batch.DynamicBatchController;
import io.servesim.schedulers.batch.LengthBins;
import io.servesim.schedulers.batch.OutputLengthPredictor;
import io.servesim.schedulers.batch.StaticBatchRule;

/**
 * The replica batching policy of a run, as a config file states it: {@code type:} names the policy
 * and the other keys are its parameters (snake_case; omitted keys take the defaults below). Every
 * record validates in its compact constructor and names the offending field.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SchedulerSpec.Static.class, name = "static"),
        @JsonSubTypes.Type(value = SchedulerSpec.Continuous.class, name = "continuous"),
        @JsonSubTypes.Type(value = SchedulerSpec.Dynamic.class, name = "dynamic"),
        @JsonSubTypes.Type(value = SchedulerSpec.MultiBin.class, name = "multi_bin"),
        @JsonSubTypes.Type(value = SchedulerSpec.ParallelStream.class, name = "parallel_stream"),
        @JsonSubTypes.Type(value = SchedulerSpec.Simple.class, name = "simple")})
public sealed interface SchedulerSpec {

    /** The registry name of the policy (the YAML {@code type}). */
    String typeName();

    /**
     * Request-level batching.
     *
     * @param batchSize      B (default 8)
     * @param maxWaitSeconds longest wait of the head for a full batch (default 1 s; a large value such as 1.0e9 waits for B)
     */
    record Static(Integer batchSize, Double maxWaitSeconds) implements SchedulerSpec {
        public Static {
            batchSize = batchSize == null ? 8 : batchSize;
            maxWaitSeconds = maxWaitSeconds == null ? 1.0 : maxWaitSeconds;
            ConfigException.require(batchSize >= 1, "batch_size", "must be >= 1", batchSize);
            ConfigException.require(maxWaitSeconds >= 0, "max_wait_seconds", "must be >= 0", maxWaitSeconds);
        }

        public StaticBatchRule rule() {
            return new StaticBatchRule(batchSize, maxWaitSeconds);
        }

        @Override
        public String typeName() {
            return "static";
        }
    }

    /**
     * FCFS continuous batching (Orca, vLLM) with the replica's limits.
     *
     * @param capacityPolicy {@code max_utilization} (default) or {@code guaranteed_no_evict}
     */
    record Continuous(CapacityPolicy capacityPolicy) implements SchedulerSpec {
        public Continuous {
            capacityPolicy = capacityPolicy == null ? CapacityPolicy.MAX_UTILIZATION : capacityPolicy;
        }

        @Override
        public String typeName() {
            return "continuous";
        }
    }

    /**
     * Continuous batching under memory-aware and SLA-constrained batch-size control.
     *
     * @param capacityPolicy         {@code max_utilization} (default) or {@code guaranteed_no_evict}
     * @param memoryAware            whether the memory-aware controller is on (default true)
     * @param memoryFraction         η ∈ (0, 1], the KV fraction the expected need may fill (default 0.9)
     * @param outputQuantile         q ∈ (0, 1), the output-length quantile budgeted per request (default 0.9)
     * @param slaAware               whether the SLA-constrained controller is on (default true)
     * @param slaHeadroom            τ = TPOT deadline · headroom, headroom &gt; 0 (default 0.9)
     * @param minBatchSize           b_min ≥ 1 (default 1)
     * @param additiveIncrease       α ≥ 0 (default 1)
     * @param multiplicativeDecrease β ∈ (0, 1] (default 0.5)
     */
    record Dynamic(CapacityPolicy capacityPolicy, Boolean memoryAware, Double memoryFraction, Double outputQuantile,
                   Boolean slaAware, Double slaHeadroom, Integer minBatchSize, Double additiveIncrease,
                   Double multiplicativeDecrease) implements SchedulerSpec {
        public Dynamic {
            capacityPolicy = capacityPolicy == null ? CapacityPolicy.MAX_UTILIZATION : capacityPolicy;
            memoryAware = memoryAware == null || memoryAware;
            memoryFraction = memoryFraction == null ? 0.9 : memoryFraction;
            outputQuantile = outputQuantile == null ? 0.9 : outputQuantile;
            slaAware = slaAware == null || slaAware;
            slaHeadroom = slaHeadroom == null ? 0.9 : slaHeadroom;
            minBatchSize = minBatchSize == null ? 1 : minBatchSize;
            additiveIncrease = additiveIncrease == null ? 1.0 : additiveIncrease;
            multiplicativeDecrease = multiplicativeDecrease == null ? 0.5 : multiplicativeDecrease;
            ConfigException.require(memoryFraction > 0 && memoryFraction <= 1, "memory_fraction", "must be in (0, 1]",
                    memoryFraction);
            ConfigException.require(outputQuantile > 0 && outputQuantile < 1, "output_quantile", "must be in (0, 1)",
                    outputQuantile);
            ConfigException.require(slaHeadroom > 0, "sla_headroom", "must be > 0", slaHeadroom);
            ConfigException.require(minBatchSize >= 1, "min_batch_size", "must be >= 1", minBatchSize);
            ConfigException.require(additiveIncrease >= 0, "additive_increase", "must be >= 0", additiveIncrease);
            ConfigException.require(multiplicativeDecrease > 0 && multiplicativeDecrease <= 1, "multiplicative_decrease",
                    "must be in (0, 1]", multiplicativeDecrease);
        }

        /** Every default: both controllers on, {@code max_utilization}. */
        public static Dynamic defaults() {
            return new Dynamic(null, null, null, null, null, null, null, null, null);
        }

        /** The controller of one replica. */
        public DynamicBatchController controller(SchedulerContext context) {
            return new DynamicBatchController(capacityPolicy,
                    memoryAware ? memoryFraction : Double.POSITIVE_INFINITY,
                    (int) Math.ceil(context.outputTokensQuantile().applyAsDouble(outputQuantile)),
                    slaAware ? context.tpotSeconds() * slaHeadroom : Double.POSITIVE_INFINITY,
                    minBatchSize, additiveIncrease, multiplicativeDecrease);
        }

        @Override
        public String typeName() {
            return "dynamic";
        }
    }

    /** How multi-bin batching predicts output lengths. */
    enum Predictor {
        @JsonProperty("exact") EXACT,
        @JsonProperty("noisy") NOISY
    }

    /** The error distribution of the {@code noisy} predictor. */
    enum Noise {
        @JsonProperty("gaussian") GAUSSIAN,
        @JsonProperty("uniform") UNIFORM
    }

    /**
     * Multi-bin batching.
     *
     * @param bins          K ≥ 1 (default 4)
     * @param predictor     {@code exact} (default) or {@code noisy}
     * @param noise         {@code gaussian} (default): true·(1 + ε·N(0,1)); {@code uniform}: true·(1 + U[−ε, ε])
     * @param relativeError ε ≥ 0 of the noisy predictor (default 0.2)
     * @param binPolicy     {@code oldest_head} (default), {@code longest_queue} or {@code round_robin}
     * @param batching      batching inside a bin: a {@code dynamic} (default, all defaults) or {@code static} spec
     */
    record MultiBin(Integer bins, Predictor predictor, Noise noise, Double relativeError, BinSelectionPolicy binPolicy,
                    SchedulerSpec batching) implements SchedulerSpec {
        public MultiBin {
            bins = bins == null ? 4 : bins;
            predictor = predictor == null ? Predictor.EXACT : predictor;
            noise = noise == null ? Noise.GAUSSIAN : noise;
            relativeError = relativeError == null ? 0.2 : relativeError;
            binPolicy = binPolicy == null ? BinSelectionPolicy.OLDEST_HEAD : binPolicy;
            batching = batching == null ? Dynamic.defaults() : batching;
            ConfigException.require(bins >= 1, "bins", "must be >= 1", bins);
            ConfigException.require(relativeError >= 0, "relative_error", "must be >= 0", relativeError);
            ConfigException.require(batching instanceof Dynamic || batching instanceof Static, "batching.type",
                    "must be dynamic or static", batching.typeName());
        }

        /** K bins with exact prediction, oldest-head selection and default dynamic batching. */
        public static MultiBin withBins(int bins) {
            return new MultiBin(bins, null, null, null, null, null);
        }

        /** The bins of the run; the same for every replica and for {@code bin_affinity} routing. */
        public LengthBins lengthBins(SchedulerContext context) {
            OutputLengthPredictor.Noise kind = predictor == Predictor.EXACT ? OutputLengthPredictor.Noise.EXACT
                    : noise == Noise.GAUSSIAN ? OutputLengthPredictor.Noise.GAUSSIAN : OutputLengthPredictor.Noise.UNIFORM;
            long seed = context.random("length_predictor").nextLong();
            return new LengthBins(bins, context.outputTokensQuantile(), new OutputLengthPredictor(kind, relativeError, seed));
        }

        @Override
        public String typeName() {
            return "multi_bin";
        }
    }

    /**
     * N streams per GPU with overlapping work.
     *
     * @param streams               N ≥ 1 (default 2)
     * @param overlapEfficiency     e ∈ [0, 1] (default 0.7)
     * @param strategy              {@code round_robin}, {@code smart} (default) or {@code balanced}
     * @param contextRatioThreshold prompt/output ratio above which a request is context-heavy (default 1)
     */
    record ParallelStream(Integer streams, Double overlapEfficiency, StreamStrategy strategy,
                          Double contextRatioThreshold) implements SchedulerSpec {
        public ParallelStream {
            streams = streams == null ? 2 : streams;
            overlapEfficiency = overlapEfficiency == null ? 0.7 : overlapEfficiency;
            strategy = strategy == null ? StreamStrategy.SMART : strategy;
            contextRatioThreshold = contextRatioThreshold == null ? 1.0 : contextRatioThreshold;
            ConfigException.require(streams >= 1, "streams", "must be >= 1", streams);
            ConfigException.require(overlapEfficiency >= 0 && overlapEfficiency <= 1, "overlap_efficiency",
                    "must be in [0, 1]", overlapEfficiency);
            ConfigException.require(contextRatioThreshold > 0, "context_ratio_threshold", "must be > 0",
                    contextRatioThreshold);
        }

        @Override
        public String typeName() {
            return "parallel_stream";
        }
    }

    /** The one-stream baseline of parallel-stream serving: continuous batching, the whole GPU. */
    record Simple() implements SchedulerSpec {
        @Override
        public String typeName() {
            return "simple";
        }
    }
}
