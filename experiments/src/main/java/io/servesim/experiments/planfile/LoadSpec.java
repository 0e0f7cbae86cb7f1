package io.servesim.experiments.planfile;

import java.util.List;

/**
 * The load a step offers, one cell per value: a multiplier of the workload's own rates ({@code scale}, i.e. its
 * {@code rps_scale}), an absolute arrival rate ({@code rps}, req/s), or a fraction of each configuration's capacity
 * under its SLA ({@code relative_to: capacity}, found with the capacity search before the cells run).
 *
 * @param kind   how the values are read
 * @param values the loads, in the order the cells run
 */
public record LoadSpec(Kind kind, List<Double> values) {
    /** How a load value becomes the workload's {@code rps_scale}. */
    public enum Kind {
        /** rps_scale = value. */
        SCALE("scale"),
        /** rps_scale = value / the workload's own rate at rps_scale 1. */
        RPS("rps"),
        /** rps_scale = value · capacity / the workload's own rate at rps_scale 1. */
        RELATIVE_TO_CAPACITY("relative_to: capacity");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    public LoadSpec {
        values = List.copyOf(values);
    }

    /** One scale, as a flag such as {@code --rps-scale} gives it. */
    public static LoadSpec scale(double rpsScale) {
        return new LoadSpec(Kind.SCALE, List.of(rpsScale));
    }

    public boolean relativeToCapacity() {
        return kind == Kind.RELATIVE_TO_CAPACITY;
    }
}
