package io.servesim.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.core.engine.ReplicaConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;




class CoreModuleTest {

    @Test
    void bindsTheResolvedDeploymentAndItsKvCache() {
        Injector injector = Guice.createInjector(new CoreModule(DeploymentConfig.defaults().withParallelism(2, 1, 3),
                EngineConfig.defaults()));
        Deployment deployment = injector.getInstance(Deployment.class);
        assertThat(deployment.replicas()).isEqualTo(3);
        assertThat(deployment.tp()).isEqualTo(2);
        assertThat(injector.getInstance(ReplicaConfig.class).kvBlocks()).isEqualTo((int) deployment.kvBlocksPerReplica());
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
