package io.servesim.schedulers;

import com.google.inject.AbstractModule;

/** Binds the run's {@link SchedulerSpec}; as an override it swaps the batching policy of a base configuration. */
public class SchedulerModule extends AbstractModule {
    private final SchedulerSpec spec;

    public SchedulerModule(SchedulerSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void configure() {
        bind(SchedulerSpec.class).toInstance(spec);
    }
}
