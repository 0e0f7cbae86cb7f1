package io.servesim.experiments.scenario;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.ReplicaLayout;
import io.servesim.schedulers.SchedulerContext;

/**
 * Joins the parts of a run: the deployment's replicas (from {@code CoreModule}), the schedulers and
 * router laid over them (from {@code SchedulersModule}) and the workload (from {@code WorkloadModule}).
 */
final class ScenarioModule extends AbstractModule {
    private final long seed;

    ScenarioModule(long seed) {
        this.seed = seed;
    }

    @Provides
    SchedulerContext schedulerContext(WorkloadSource workload) {
        return SchedulerContext.of(workload, seed);
    }

    @Provides
    Simulation simulation(ReplicaLayout layout, WorkloadSource workload, SimulationOptions options) {
        return new Simulation(layout.replicas(), layout.router(), workload, options);
    }
}
