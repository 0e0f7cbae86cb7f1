package io.servesim.workloads.profile;

import io.servesim.core.workload.Sla;

/**
 * A profile's service-level objectives as a config gives them; a field left out takes its value from
 * {@link Sla#DEFAULT}.
 */
public record SlaSpec(Double ttftSeconds, Double tpotSeconds, Double normalizedLatencySecondsPerToken) {
    public SlaSpec {
        ttftSeconds = ttftSeconds == null ? Sla.DEFAULT.ttftSeconds() : ttftSeconds;
        tpotSeconds = tpotSeconds == null ? Sla.DEFAULT.tpotSeconds() : tpotSeconds;
        normalizedLatencySecondsPerToken = normalizedLatencySecondsPerToken == null
                ? Sla.DEFAULT.normalizedLatencySecondsPerToken() : normalizedLatencySecondsPerToken;
        new Sla(ttftSeconds, tpotSeconds, normalizedLatencySecondsPerToken); // validates, naming the field
    }

    /** All defaults. */
    public static SlaSpec defaults() {
        return new SlaSpec(null, null, null);
    }

    public Sla toSla() {
        return new Sla(ttftSeconds, tpotSeconds, normalizedLatencySecondsPerToken);
    }
}
