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
import io.servesim.schedulers.Schedulers;
import io.servesim.schedulers.SchedulersModule;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadModule;

/**
 * Runs one scenario: composes the Guice modules of the run (validating the configuration before the
 * first event), simulates, and summarises.
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

    /** Runs with parts built already, for many short runs; {@code overrides} as in {@link #run(Scenario, Workload, Module...)}. */
    public static ScenarioRun run(Scenario scenario, SharedParts shared, Module... overrides) {
        Module base = Modules.combine(
                new CoreModule(scenario.coreDeployment(), scenario.coreEngine(), shared.catalog()),
                new WorkloadModule(scenario.workload(), scenario.seed()),
                new SchedulersModule(shared.registry(), scenario.scheduling().scheduler(), scenario.scheduling().router()),
                new ScenarioModule(scenario.seed()));
        return run(scenario, base, shared.catalog(), null, overrides);
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
        SimulationResult result = compose(composed).run(observer);
        return new ScenarioRun(scenario, result, RunMetrics.of(result, scenario.metrics().warmupFraction()));
    }
}
