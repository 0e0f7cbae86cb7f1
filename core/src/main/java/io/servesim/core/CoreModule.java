package io.servesim.core;

import com.google.inject.AbstractModule;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds the hardware side of one run: the deployment resolved from the catalog and validated (the first group's, when
 * {@code replica_groups} mix GPU types: the replica pool holds every group's replicas), the replicas' serving limits,
 * and the engine options. Batching policies, routers and the workload
 * come from their own modules; an experiment composes them and swaps one with
 * {@code Modules.override(…).with(…)}. An injector serves exactly one run.
 */
public final class CoreModule extends AbstractModule {
    private final Deployment deployment;
    private final ReplicaConfig replicaConfig;
    private final ReplicaPool replicaPool;
    private final SimulationOptions options;

    /**
     * Resolves and validates the configuration now, so a mistake surfaces as a {@code ConfigException}
     * naming the field before any injector or event exists.
     */
    public CoreModule(DeploymentConfig deploymentConfig, EngineConfig engine) {
        this(deploymentConfig, engine, deploymentConfig.loadCatalog());
    }

    /**
     * With the catalog the configuration names loaded already ({@link DeploymentConfig#loadCatalog()}): a catalog is
     * immutable, so runs of many configurations, on any threads, may share one.
     */
    public CoreModule(DeploymentConfig deploymentConfig, EngineConfig engine, Catalog catalog) {
        List<Deployment> groups = deploymentConfig.resolveGroups(catalog);
        this.deployment = groups.get(0);
        this.replicaConfig = engine.replicaConfig(deployment.kvBlocksPerReplica(), deployment.model().maxContextTokens());
        this.options = engine.simulationOptions();
        List<ReplicaPool> pools = new ArrayList<>(groups.size());
        for (Deployment group : groups) {
            pools.add(group.replicaPool(replicaConfig));
        }
        ReplicaPool roofline = ReplicaPool.concat(pools);
        this.replicaPool = deploymentConfig.profiledStepTimeModel()
                .map(measured -> new ReplicaPool(roofline.config(0), measured, roofline.replicas(), deployment.gpu().power()))
                .orElse(roofline);
    }

    /** The replicas this module binds, for a run composed from the same parts without an injector. */
    public ReplicaPool replicaPool() {
        return replicaPool;
    }

    /** The engine options this module binds, for a run composed from the same parts without an injector. */
    public SimulationOptions simulationOptions() {
        return options;
    }

    @Override
    protected void configure() {
        bind(Deployment.class).toInstance(deployment);
        bind(ReplicaConfig.class).toInstance(replicaConfig);
        bind(ReplicaPool.class).toInstance(replicaPool);
        bind(SimulationOptions.class).toInstance(options);
    }
}
