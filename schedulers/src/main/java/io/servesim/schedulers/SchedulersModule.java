package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;

/**
 * Binds the scheduler parts of a run from the bound {@link SchedulerSpec} and {@link RouterSpec}:
 * {@link BatchSchedulerFactory}, {@link Router} and {@link ReplicaLayout}, each made fresh for every
 * injection (no scopes), so one injector per run gives every run its own stateful schedulers.
 * Needs {@link SchedulerContext} and {@link ReplicaPool} bound by the run. A study swaps the policy by
 * overriding the spec:
 * <pre>{@code Modules.override(new SchedulersModule(base, router)).with(new MultiBinModule(k))}</pre>
 */
public final class SchedulersModule extends AbstractModule {
    private final Schedulers registry;
    private final SchedulerSpec scheduler;
    private final RouterSpec router;

    /** With ServeSim's policies and routers ({@link Schedulers#builtIn()}). */
    public SchedulersModule(SchedulerSpec scheduler, RouterSpec router) {
        this(Schedulers.builtIn(), scheduler, router);
    }

    /** With the given registry. */
    public SchedulersModule(Schedulers registry, SchedulerSpec scheduler, RouterSpec router) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.router = router;
    }

    @Override
    protected void configure() {
        bind(Schedulers.class).toInstance(registry);
        install(new SchedulerModule(scheduler));
        install(new RouterModule(router));
    }

    @Provides
    BatchSchedulerFactory batchSchedulers(Schedulers registry, SchedulerSpec spec, SchedulerContext context) {
        return registry.batchSchedulers(spec, context);
    }

    @Provides
    Router router(Schedulers registry, SchedulerSpec spec, RouterSpec routerSpec, SchedulerContext context) {
        return registry.router(spec, routerSpec, context);
    }

    @Provides
    ReplicaLayout layout(Schedulers registry, SchedulerSpec spec, RouterSpec routerSpec, ReplicaPool pool,
                         SchedulerContext context) {
        return registry.layout(spec, routerSpec, pool, context);
    }
}
