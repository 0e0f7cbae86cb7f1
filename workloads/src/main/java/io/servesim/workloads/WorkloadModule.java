package io.servesim.workloads;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.servesim.core.workload.WorkloadSource;

/**
 * Binds {@link WorkloadSource} from a spec and a seed. The spec is compiled when the module is made, so a
 * mistake (a missing trace file, a bad line) surfaces as a {@code ConfigException} before any injector exists;
 * every {@code WorkloadSource} injection gets a fresh source (sources are single-use) with the same seed, hence
 * the same requests.
 */
public final class WorkloadModule extends AbstractModule {
    private final WorkloadSpec spec;
    private final Workload workload;
    private final long seed;

    public WorkloadModule(WorkloadSpec spec, long seed) {
        this(spec, Workload.compile(spec), seed);
    }

    /** With a workload compiled already (it is immutable and may be shared between runs and threads). */
    public WorkloadModule(WorkloadSpec spec, Workload workload, long seed) {
        this.spec = spec;
        this.workload = workload;
        this.seed = seed;
    }

    @Override
    protected void configure() {
        bind(WorkloadSpec.class).toInstance(spec);
        bind(Workload.class).toInstance(workload);
    }

    @Provides
    WorkloadSource source() {
        return workload.newSource(seed);
    }
}
