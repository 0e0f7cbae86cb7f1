package io.servesim.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.config.DeploymentConfig;
import io.servesim.core.config.EngineConfig;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.hardware.Catalog;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.WorkloadSource;

/**
 * Binds the engine of one run: the deployment resolved from the catalog, the replicas' limits, and
 * default policies (FCFS continuous batching, round-robin routing) that an experiment replaces with
 * {@code Modules.override(new CoreModule(…)).with(new SomeSchedulerModule(…))}. The workload comes
 * from another module (a {@link WorkloadSource} binding). An injector serves exactly one run.
 */
public final class CoreModule extends AbstractModule {
    private final Deployment deployment;
    private final ReplicaConfig replicaConfig;
    private final SimulationOptions options;

    /**
     * Resolves and validates the configuration now, so a mistake surfaces as a {@code ConfigException}
     * naming the field before any injector or event exists.
     */
    public CoreModule(DeploymentConfig deploymentConfig, EngineConfig engine) {
        Catalog catalog = deploymentConfig.loadCatalog();
        this.deployment = deploymentConfig.resolve(catalog);
        this.replicaConfig = engine.replicaConfig(deployment.kvBlocksPerReplica(), deployment.model().maxContextTokens());
        this.options = engine.simulationOptions();
    }

    @Override
    protected void configure() {
        bind(Deployment.class).toInstance(deployment);
        bind(ReplicaConfig.class).toInstance(replicaConfig);
        bind(SimulationOptions.class).toInstance(options);
        bind(BatchSchedulerFactory.class).toInstance(replica -> new ContinuousBatchingScheduler());
        bind(Router.class).to(RoundRobinRouter.class);
        bind(ReplicaLayout.class).to(DataParallelLayout.class);
    }

    @Provides
    Simulation simulation(ReplicaLayout layout, Router router, WorkloadSource workload, SimulationOptions simulationOptions) {
        return new Simulation(layout.setups(), router, workload, simulationOptions);
    }
}
