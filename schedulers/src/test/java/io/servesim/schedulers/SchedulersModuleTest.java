package io.servesim.schedulers;

import io.servesim.core.engine.ReplicaPool;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import io.servesim.core.engine.ReplicaSetup;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.MultiBinScheduler;
import io.servesim.schedulers.route.LeastLoadedRouter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulersModuleTest {

    /** What a run binds: the context and the replicas. */
    private static final AbstractModule RUN = new AbstractModule() {
        @Override
        protected void configure() {
            bind(SchedulerContext.class).toInstance(Scenarios.context(Scenarios.saturated(1, 10, 1, 100)));
            bind(ReplicaPool.class).toInstance(new ReplicaPool(Scenarios.config(8, 2048, false, 1000),
                    AffineStepTimeModel.constant(0.01), 3));
        }
    };

    @Test
    void baseBindsContinuousAndAnOverrideSwapsInMultiBin() {
        var base = Modules.combine(new SchedulersModule(new SchedulerSpec.Continuous(null), new RouterSpec.LeastLoaded()), RUN);
        Injector plain = Guice.createInjector(base);
        assertThat(plain.getInstance(BatchSchedulerFactory.class).create(0)).isInstanceOf(ContinuousBatchingScheduler.class);
        assertThat(plain.getInstance(Router.class)).isInstanceOf(LeastLoadedRouter.class);

        Injector multiBin = Guice.createInjector(Modules.override(base).with(new MultiBinModule(4)));
        assertThat(multiBin.getInstance(BatchSchedulerFactory.class).create(0)).isInstanceOf(MultiBinScheduler.class);
        ReplicaLayout layout = multiBin.getInstance(ReplicaLayout.class);
        assertThat(layout.replicas()).hasSize(3);
        assertThat(((ReplicaSetup) layout.replicas().get(0)).scheduler()).isInstanceOf(MultiBinScheduler.class)
                .isNotSameAs(((ReplicaSetup) layout.replicas().get(1)).scheduler());
    }

    @Test
    void everyInjectionGetsFreshStatefulParts() {
        Injector injector = Guice.createInjector(
                new SchedulersModule(SchedulerSpec.Dynamic.defaults(), new RouterSpec.PowerOfTwo()), RUN);
        assertThat(injector.getInstance(Router.class)).isNotSameAs(injector.getInstance(Router.class));
        BatchSchedulerFactory factory = injector.getInstance(BatchSchedulerFactory.class);
        assertThat(factory.create(0)).isNotSameAs(factory.create(0));
    }

    @Test
    void theRegistryListsEveryPolicyAndRouter() {
        assertThat(Scenarios.registry().schedulerNames())
                .containsExactly("continuous", "dynamic", "multi_bin", "parallel_stream", "simple", "static");
        assertThat(Scenarios.registry().routerNames())
                .containsExactly("bin_affinity", "kv_aware", "least_loaded", "power_of_two", "prefix_affinity", "random",
                        "round_robin",
                        "session_affinity", "weighted_least_loaded");
    }

    @Test
    void theRegistryIsClosedOverTheSpecsTypeNames() {
        // A closed registry: every YAML type of the sealed specs has its factory, and no factory lacks a YAML type.
        assertThat(Scenarios.registry().schedulerNames()).containsExactlyInAnyOrderElementsOf(typeNames(SchedulerSpec.class));
        assertThat(Scenarios.registry().routerNames()).containsExactlyInAnyOrderElementsOf(typeNames(RouterSpec.class));
        assertThat(SchedulerSpec.class.isSealed()).isTrue();
        assertThat(RouterSpec.class.isSealed()).isTrue();
    }

    private static java.util.List<String> typeNames(Class<?> spec) {
        return java.util.Arrays.stream(spec.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
                .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name).toList();
    }
}
