package io.servesim.schedulers;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.servesim.core.config.ConfigException;

/**
 * The cluster router of a run, as a config file states it: {@code type:} names it; only {@code prefix_affinity} takes
 * a parameter ({@code load_weight}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RouterSpec.RoundRobin.class, name = "round_robin"),
        @JsonSubTypes.Type(value = RouterSpec.Random.class, name = "random"),
        @JsonSubTypes.Type(value = RouterSpec.LeastLoaded.class, name = "least_loaded"),
        @JsonSubTypes.Type(value = RouterSpec.WeightedLeastLoaded.class, name = "weighted_least_loaded"),
        @JsonSubTypes.Type(value = RouterSpec.PowerOfTwo.class, name = "power_of_two"),
        @JsonSubTypes.Type(value = RouterSpec.BinAffinity.class, name = "bin_affinity"),
        @JsonSubTypes.Type(value = RouterSpec.PrefixAffinity.class, name = "prefix_affinity"),
        @JsonSubTypes.Type(value = RouterSpec.SessionAffinity.class, name = "session_affinity"),
        @JsonSubTypes.Type(value = RouterSpec.KvAware.class, name = "kv_aware")})
public sealed interface RouterSpec {

    /** The registry name of the router (the YAML {@code type}). */
    String typeName();

    record RoundRobin() implements RouterSpec {
        @Override
        public String typeName() {
            return "round_robin";
        }
    }

    record Random() implements RouterSpec {
        @Override
        public String typeName() {
            return "random";
        }
    }

    record LeastLoaded() implements RouterSpec {
        @Override
        public String typeName() {
            return "least_loaded";
        }
    }

    /** Least loaded relative to each replica's service rate (replicas of different GPU types or layouts). */
    record WeightedLeastLoaded() implements RouterSpec {
        @Override
        public String typeName() {
            return "weighted_least_loaded";
        }
    }

    record PowerOfTwo() implements RouterSpec {
        @Override
        public String typeName() {
            return "power_of_two";
        }
    }

    record BinAffinity() implements RouterSpec {
        @Override
        public String typeName() {
            return "bin_affinity";
        }
    }

    /**
     * Longest prefix the router sent to a replica, balanced against the replica's load.
     *
     * @param loadWeight weight of the load term against the matched fraction of the prompt (≥ 0, default
     *                   {@link #DEFAULT_LOAD_WEIGHT}); 0 follows the prefix whatever the load
     */
    record PrefixAffinity(Double loadWeight) implements RouterSpec {
        public static final double DEFAULT_LOAD_WEIGHT = 0.5;

        public PrefixAffinity {
            loadWeight = loadWeight == null ? DEFAULT_LOAD_WEIGHT : loadWeight;
            ConfigException.require(loadWeight >= 0 && Double.isFinite(loadWeight), "load_weight",
                    "must be >= 0", loadWeight);
        }

        @Override
        public String typeName() {
            return "prefix_affinity";
        }
    }

    /** Every turn of a session to the replica of its first turn; new sessions to the least loaded replica. */
    record SessionAffinity() implements RouterSpec {
        @Override
        public String typeName() {
            return "session_affinity";
        }
    }

    /** The replica with the most KV room left once its queued work is counted (for a decode pool). */
    record KvAware() implements RouterSpec {
        @Override
        public String typeName() {
            return "kv_aware";
        }
    }
}
