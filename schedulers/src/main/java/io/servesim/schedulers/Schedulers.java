package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.Router;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The batching policies and routers by name, and the entry points that turn specs into the scheduler parts of a
 * run. The registry is closed, and says so: a policy is a case of the sealed {@link SchedulerSpec} (a router of
 * {@link RouterSpec}), named in its {@code @JsonSubTypes}, and a constant of {@link BuiltInSchedulers}
 * ({@link BuiltInRouters}) that builds it; adding one means editing those, in this module (docs/architecture.md
 * says why). A test checks that the names of the specs and of the constants are the same.
 */
public final class Schedulers {
    private static final Schedulers BUILT_IN = new Schedulers();

    private final Map<String, SchedulerType> schedulers = new TreeMap<>();
    private final Map<String, RouterType> routers = new TreeMap<>();

    private Schedulers() {
        for (BuiltInSchedulers type : BuiltInSchedulers.values()) {
            schedulers.put(type.registryName(), type);
        }
        for (BuiltInRouters type : BuiltInRouters.values()) {
            routers.put(type.registryName(), type);
        }
    }

    /** Every policy and router of ServeSim (immutable, shared by all runs). */
    public static Schedulers builtIn() {
        return BUILT_IN;
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
