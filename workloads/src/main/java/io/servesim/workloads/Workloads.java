package io.servesim.workloads;

import io.servesim.core.workload.WorkloadSource;

import java.util.SplittableRandom;

/** The one-call way from a spec to a source. */
public final class Workloads {
    private Workloads() {
    }

    /** Compiles {@code spec} and returns a fresh source drawing from {@code root} (split once per profile). */
    public static WorkloadSource create(WorkloadSpec spec, SplittableRandom root) {
        return Workload.compile(spec).newSource(root);
    }
}
