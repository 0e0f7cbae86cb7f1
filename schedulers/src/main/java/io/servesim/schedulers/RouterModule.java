package io.servesim.schedulers;

import com.google.inject.AbstractModule;

/** Binds the run's {@link RouterSpec}; as an override it swaps the cluster router. */
public final class RouterModule extends AbstractModule {
    private final RouterSpec spec;

    public RouterModule(RouterSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void configure() {
        bind(RouterSpec.class).toInstance(spec);
    }
}
