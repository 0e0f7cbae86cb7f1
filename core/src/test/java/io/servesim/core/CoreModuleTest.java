package io.servesim.core;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.util.Modules;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.config.DeploymentConfig;
import io.servesim.core.config.EngineConfig;
import io.servesim.core.engine.Outcome;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.sched.BatchSchedulerFactory;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoreModuleTest {

    private static AbstractModule workload(WorkloadSource source) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(WorkloadSource.class).toInstance(source);
            }
        };
    }

    @Test
    void runsADeploymentFromItsConfiguration() {
        DeploymentConfig deployment = DeploymentConfig.defaults().withParallelism(1, 1, 2);
        Simulation simulation = Guice.createInjector(new CoreModule(deployment, EngineConfig.defaults()),
                workload(ListWorkloadSource.ofRows(new double[] {0, 100, 10}, new double[] {0.001, 200, 20})))
                .getInstance(Simulation.class);
        SimulationResult result = simulation.run();
        assertThat(result.cluster().replicaCount()).isEqualTo(2);
        assertThat(result.requests().outcome(0)).isEqualTo(Outcome.COMPLETED);
        assertThat(result.requests().outcome(1)).isEqualTo(Outcome.COMPLETED);
        assertThat(result.requests().replica(1)).isEqualTo(1);
    }

    @Test
    void anExperimentSwapsTheSchedulerByOverridingOneBinding() {
        AtomicInteger created = new AtomicInteger();
        BatchSchedulerFactory counting = replica -> {
            created.incrementAndGet();
            return new ContinuousBatchingScheduler();
        };
        Guice.createInjector(Modules.override(new CoreModule(DeploymentConfig.defaults().withParallelism(1, 1, 3),
                        EngineConfig.defaults()), workload(ListWorkloadSource.ofRows(new double[] {0, 10, 2})))
                .with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(BatchSchedulerFactory.class).toInstance(counting);
                    }
                })).getInstance(Simulation.class).run();
        assertThat(created).hasValue(3);
    }

    @Test
    void aTensorDegreeThatDoesNotDivideTheHeadsIsRejectedByName() {
        // Llama-2-7B has 32 heads: tp = 3 does not divide them.
        assertThatThrownBy(() -> new CoreModule(DeploymentConfig.defaults().withParallelism(3, 1, 1), EngineConfig.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tp").hasMessageContaining("32");
    }

    @Test
    void aModelThatDoesNotFitIsAConfigurationErrorWithTheArithmetic() {
        DeploymentConfig gpt3 = DeploymentConfig.defaults().withModelAndGpu("GPT-3-175B", "A100-80GB");
        assertThatThrownBy(() -> new CoreModule(gpt3, EngineConfig.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not fit").hasMessageContaining("GiB");
    }

    @Test
    void unknownKeysAndImpossibleValuesInYamlNameTheField() {
        assertThatThrownBy(() -> ConfigMapper.convert(ConfigMapper.yaml().readTree("max_num_seqs: 0"), EngineConfig.class, "engine"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_num_seqs must be >= 1");
        assertThatThrownBy(() -> ConfigMapper.convert(ConfigMapper.yaml().readTree("max_num_seq: 4"), EngineConfig.class, "engine"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown field 'max_num_seq'");
    }
}
