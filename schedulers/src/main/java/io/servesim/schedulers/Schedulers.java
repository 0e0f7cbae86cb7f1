package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import com.google.inject.Guice;
import com.google.inject.Inject;
import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of batching policies and routers by name (filled by {@link SchedulerRegistryModule}'s
 * {@code MapBinder}s; other modules may add entries). The entry points that turn specs into the
 * scheduler parts of a run.
 */
public final class Schedulers {
    private final Map<String, SchedulerType> schedulers;
    private final Map<String, RouterType> routers;

    @Inject
    public Schedulers(Map<String, SchedulerType> schedulers, Map<String, RouterType> routers) {
        this.schedulers = new TreeMap<>(schedulers);
        this.routers = new TreeMap<>(routers);
    }

    /** The registry with ServeSim's own policies and routers, for use without an injector. */
    public static Schedulers builtIn() {
        return Guice.createInjector(new SchedulerRegistryModule()).getInstance(Schedulers.class);
    }

    public Set<String> schedulerNames() {
        return schedulers.keySet();
    }

    public Set<String> routerNames() {
        return routers.keySet();
    }

    /** The policy registered as {@code name}; an unknown name fails with the valid ones. */
    public SchedulerType schedulerType(String name) {
        SchedulerType type = schedulers.get(name);
        if (type == null) {
            throw new ConfigException("scheduler.type unknown '" + name + "'; valid: " + schedulers.keySet());
        }
        return type;
    }

    /** The router registered as {@code name}; an unknown name fails with the valid ones. */
    public RouterType routerType(String name) {
        RouterType type = routers.get(name);
        if (type == null) {
            throw new ConfigException("router.type unknown '" + name + "'; valid: " + routers.keySet());
        }
        return type;
    }

    /** Fresh per-replica schedulers of {@code spec}. */
    public BatchSchedulerFactory batchSchedulers(SchedulerSpec spec, SchedulerContext context) {
        return schedulerType(spec.typeName()).factory(spec, context);
    }

    /** A fresh router for a run of {@code scheduler} (parallel_stream brings its own stream router). */
    public Router router(SchedulerSpec scheduler, RouterSpec router, SchedulerContext context) {
        SchedulerType type = schedulerType(scheduler.typeName());
        Router cluster = routerType(router.typeName()).create(router, context, type.lengthBins(scheduler, context));
        return type.router(scheduler, cluster);
    }

    /** The replicas (with their schedulers) and the router of a run on {@code pool}. */
    public ReplicaLayout layout(SchedulerSpec scheduler, RouterSpec router, ReplicaPool pool, SchedulerContext context) {
        SchedulerType type = schedulerType(scheduler.typeName());
        Router cluster = routerType(router.typeName()).create(router, context, type.lengthBins(scheduler, context));
        return type.layout(scheduler, pool, cluster, context);
    }
}
