package io.servesim.schedulers;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The cluster router of a run, as a config file states it: {@code type:} names it; none takes parameters. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RouterSpec.RoundRobin.class, name = "round_robin"),
        @JsonSubTypes.Type(value = RouterSpec.Random.class, name = "random"),
        @JsonSubTypes.Type(value = RouterSpec.LeastLoaded.class, name = "least_loaded"),
        @JsonSubTypes.Type(value = RouterSpec.PowerOfTwo.class, name = "power_of_two"),
        @JsonSubTypes.Type(value = RouterSpec.BinAffinity.class, name = "bin_affinity")})
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
}
