package io.servesim.workloads;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.servesim.core.workload.WorkloadSource;

/**
 * Binds {@link WorkloadSource} from a spec and a seed. The spec is compiled once per injector; every
 * {@code WorkloadSource} injection gets a fresh source (sources are single-use) with the same seed, hence the
 * same requests.
 */
public final class WorkloadModule extends AbstractModule {
    private final WorkloadSpec spec;
    private final long seed;

    public WorkloadModule(WorkloadSpec spec, long seed) {
        this.spec = spec;
        this.seed = seed;
    }

    @Override
    protected void configure() {
        bind(WorkloadSpec.class).toInstance(spec);
    }

    @Provides
    @Singleton
    Workload workload(WorkloadSpec workloadSpec) {
        return Workload.compile(workloadSpec);
    }

    @Provides
    WorkloadSource source(Workload workload) {
        return workload.newSource(seed);
    }
}
