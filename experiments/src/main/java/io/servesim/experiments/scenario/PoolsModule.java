package io.servesim.experiments.scenario;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.Topology;
import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.Disaggregation;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.Simulation;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.ReplicaLayout;
import io.servesim.schedulers.SchedulerContext;
import io.servesim.schedulers.Schedulers;

/**
 * Composes a disaggregated run from a scenario's {@link Pools}: overrides the {@link Simulation} of the aggregated
 * modules with one whose replicas are the prefill pool and whose {@link Disaggregation} is the decode pool. Both pools
 * are resolved when the module is built, so a mistake (an unknown GPU, a model that does not fit) is a
 * {@link ConfigException} naming {@code pools.prefill} or {@code pools.decode} before any event.
 */
final class PoolsModule extends AbstractModule {
    private final Pools pools;
    private final Topology network;
    private final Deployment prefill;
    private final Deployment decode;

    PoolsModule(DeploymentConfig deployment, Pools pools, Catalog catalog) {
        this.pools = pools;
        DeploymentConfig prefillConfig = pools.prefill().deployment(deployment);
        DeploymentConfig decodeConfig = pools.decode().deployment(deployment);
        this.network = deployment.topology().build(pools.gpus(), prefillConfig.gpuSpec(catalog));
        ConfigException.require(network.gpuCount() >= pools.gpus(), "deployment.topology", "must have the "
                + pools.gpus() + " GPUs of the pools", network.gpuCount());
        this.prefill = resolve(prefillConfig, catalog, 0, "pools.prefill.");
        this.decode = resolve(decodeConfig, catalog, pools.prefill().gpus(), "pools.decode.");
    }

    private Deployment resolve(DeploymentConfig config, Catalog catalog, int firstGpu, String prefix) {
        try {
            Deployment d = config.resolve(catalog, network, firstGpu);
            d.kvBlocksPerReplica();
            return d;
        } catch (ConfigException e) {
            throw new ConfigException(prefix + e.getMessage(), e);
        }
    }

    @Override
    protected void configure() {
    }

    @Provides
    Simulation simulation(Schedulers registry, SchedulerContext context, WorkloadSource workload) {
        ReplicaLayout prefillLayout = layout(registry, context, prefill, pools.prefill());
        ReplicaLayout decodeLayout = layout(registry, context, decode, pools.decode());
        Disaggregation decodePool = new Disaggregation(decodeLayout.replicas(), decodeLayout.router(), network,
                gpus(prefill), gpus(decode), prefill.model().kvBytesPerToken());
        return new Simulation(prefillLayout.replicas(), prefillLayout.router(), decodePool, workload,
                pools.prefill().engine().simulationOptions());
    }

    private static ReplicaLayout layout(Schedulers registry, SchedulerContext context, Deployment deployment,
                                        Pools.Pool pool) {
        ReplicaPool replicas = deployment.replicaPool(pool.engine().replicaConfig(deployment.kvBlocksPerReplica(),
                deployment.model().maxContextTokens()));
        return registry.layout(pool.scheduling().scheduler(), pool.scheduling().router(), replicas, context);
    }

    private static int[][] gpus(Deployment deployment) {
        int[][] gpus = new int[deployment.replicas()][];
        for (int r = 0; r < gpus.length; r++) {
            gpus[r] = deployment.replicaGpus(r);
        }
        return gpus;
    }
}
