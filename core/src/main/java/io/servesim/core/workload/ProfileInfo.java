package io.servesim.core.workload;

import io.servesim.core.workload.Sla;

/** What the engine and the metrics need to know about a client profile: its name and its SLA. */
public record ProfileInfo(String name, Sla sla) {
}
