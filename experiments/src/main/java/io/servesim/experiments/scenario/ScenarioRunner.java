package io.servesim.experiments.scenario;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import io.servesim.core.CoreModule;
import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.EngineObserver;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.ReplicaLayout;
import io.servesim.schedulers.SchedulerContext;
import io.servesim.schedulers.Schedulers;
import io.servesim.schedulers.SchedulersModule;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadModule;

/**
 * Runs one scenario: composes the Guice modules of the run (validating the configuration before the
 * first event), simulates, and summarises. Many short runs with {@link SharedParts} are composed from the same modules
 * without an injector ({@link #run(Scenario, SharedParts, Module...)}).
 */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /**
     * The simulation of the composed run. A mistake that a module finds while composing (a policy that does not fit
     * the deployment) reaches the caller as the {@link ConfigException} it is, not wrapped in Guice's exceptions.
     */
    private static Simulation compose(Module composed) {
        try {
            return Guice.createInjector(composed).getInstance(Simulation.class);
        } catch (ProvisionException | CreationException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ConfigException mistake) {
                    throw mistake;
                }
            }
            throw e;
        }
    }

    /**
     * Composes the run of {@code scenario} without simulating it, on a workload of one request, so that what only
     * composing finds (a scheduler or router that does not fit the deployment's layout) is found before a plan writes
     * anything. Throws the {@link ConfigException} of the mistake.
     */
    public static void check(Scenario scenario) {
        Scenario probe = scenario.withWorkload(scenario.workload().withRequests(1));
        compose(withPools(probe, baseModules(probe, Workload.compile(probe.workload())), poolsCatalog(probe)));
    }

    /** The result of one scenario. */
    public record ScenarioRun(Scenario scenario, SimulationResult result, RunMetrics metrics) {
    }

    public static ScenarioRun run(Scenario scenario) {
        return run(scenario, Workload.compile(scenario.workload()));
    }

    /** Runs with {@code observer} watching the engines (time series, traces; null for none). */
    public static ScenarioRun run(Scenario scenario, EngineObserver observer) {
        return run(scenario, baseModules(scenario, Workload.compile(scenario.workload())), poolsCatalog(scenario),
                observer);
    }

    /**
     * What many short runs may share instead of building it for each: the catalog their deployments name and the
     * registry of batching policies and routers (both immutable).
     */
    public record SharedParts(Catalog catalog, Schedulers registry) {
        /** The given catalog and the built-in registry. */
        public static SharedParts of(Catalog catalog) {
            return new SharedParts(catalog, Schedulers.builtIn());
        }
    }

    /**
     * Runs with parts built already, for many short runs; {@code overrides} as in {@link #run(Scenario, Workload, Module...)}.
     * Without overrides the run is composed without an injector ({@link #composeDirectly}): the same parts from the
     * same modules' constructors and providers, so the same simulation; making an injector took longer than
     * simulating a replayed benchmark row (docs/validation.md, "Timing").
     */
    public static ScenarioRun run(Scenario scenario, SharedParts shared, Module... overrides) {
        if (overrides.length == 0) {
            return summarised(scenario, composeDirectly(scenario, shared).run(null));
        }
        Module base = Modules.combine(
                new CoreModule(scenario.coreDeployment(), scenario.coreEngine(), shared.catalog()),
                new WorkloadModule(scenario.workload(), scenario.seed()),
                new SchedulersModule(shared.registry(), scenario.scheduling().scheduler(), scenario.scheduling().router()),
                new ScenarioModule(scenario.seed()));
        return run(scenario, base, shared.catalog(), null, overrides);
    }

    /**
     * The simulation that the modules of {@link #run(Scenario, SharedParts, Module...)} compose, composed by calling
     * their providers in the order an injector would: the {@link CoreModule}'s replicas and options, the
     * {@link SchedulersModule}'s layout (the registry's), the {@link ScenarioModule}'s context and simulation, or the
     * {@link PoolsModule}'s simulation when the scenario has pools. Every injection of a {@link WorkloadSource} is a
     * fresh source with the run's seed ({@link WorkloadModule}): the context and the simulation each get their own.
     */
    static Simulation composeDirectly(Scenario scenario, SharedParts shared) {
        CoreModule core = new CoreModule(scenario.coreDeployment(), scenario.coreEngine(), shared.catalog());
        Workload workload = Workload.compile(scenario.workload());
        ScenarioModule joints = new ScenarioModule(scenario.seed());
        SchedulerContext context = joints.schedulerContext(workload.newSource(scenario.seed()));
        if (scenario.pools() != null) {
            return new PoolsModule(scenario.deployment(), scenario.pools(), shared.catalog())
                    .simulation(shared.registry(), context, workload.newSource(scenario.seed()));
        }
        ReplicaLayout layout = shared.registry().layout(scenario.scheduling().scheduler(),
                scenario.scheduling().router(), core.replicaPool(), context);
        return joints.simulation(layout, workload.newSource(scenario.seed()), core.simulationOptions());
    }

    /** Runs with a workload compiled already (compiled workloads are immutable and shared between runs). */
    public static ScenarioRun run(Scenario scenario, Workload workload, Module... overrides) {
        return run(scenario, baseModules(scenario, workload), poolsCatalog(scenario), null, overrides);
    }

    /** The catalog a scenario with pools resolves them in (null without pools). */
    private static Catalog poolsCatalog(Scenario scenario) {
        return scenario.pools() == null ? null : scenario.deployment().loadCatalog();
    }

    private static Module baseModules(Scenario scenario, Workload workload) {
        return Modules.combine(
                new CoreModule(scenario.coreDeployment(), scenario.coreEngine()),
                new WorkloadModule(scenario.workload(), workload, scenario.seed()),
                new SchedulersModule(scenario.scheduling().scheduler(), scenario.scheduling().router()),
                new ScenarioModule(scenario.seed()));
    }

    /** {@code base} with a scenario's prefill and decode pools in place of its one deployment, when it has pools. */
    private static Module withPools(Scenario scenario, Module base, Catalog catalog) {
        return scenario.pools() == null ? base
                : Modules.override(base).with(new PoolsModule(scenario.deployment(), scenario.pools(), catalog));
    }

    private static ScenarioRun run(Scenario scenario, Module base, Catalog catalog, EngineObserver observer,
                                   Module... overrides) {
        Module pooled = withPools(scenario, base, catalog);
        Module composed = overrides.length == 0 ? pooled : Modules.override(pooled).with(overrides);
        return summarised(scenario, compose(composed).run(observer));
    }

    private static ScenarioRun summarised(Scenario scenario, SimulationResult result) {
        return new ScenarioRun(scenario, result, RunMetrics.of(result, scenario.metrics().warmupFraction()));
    }
}
