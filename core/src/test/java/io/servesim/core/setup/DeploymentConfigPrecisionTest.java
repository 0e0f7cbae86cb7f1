package io.servesim.core.setup;

import io.servesim.core.config.ConfigException;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.catalog.Catalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentConfigPrecisionTest {
    private static final Catalog CATALOG = Catalog.load();

    private static DeploymentConfig config(String model, String gpu, String precision, String kvPrecision) {
        return new DeploymentConfig(model, gpu, null, null, null, null, null, null, null, null, null, precision,
                kvPrecision, null, null, null, null, null);
    }

    @Test
    void fp8HalvesWeightsAndKvCacheAndLeavesRoomForMoreBlocks() {
        Deployment bf16 = config("Llama-3.1-70B", "H100-SXM", null, null).withParallelism(2, 1, 1).resolve(CATALOG);
        Deployment fp8 = config("Llama-3.1-70B", "H100-SXM", "fp8", null).withParallelism(2, 1, 1).resolve(CATALOG);
        assertThat(fp8.model().weightBytes()).isEqualTo(bf16.model().weightBytes() / 2);
        assertThat(fp8.model().kvBytesPerToken()).isEqualTo(bf16.model().kvBytesPerToken() / 2);
        assertThat(fp8.kvBlocksPerReplica()).isGreaterThan(2 * bf16.kvBlocksPerReplica());
    }

    @Test
    void kvCachePrecisionOverridesOnlyTheCache() {
        Deployment d = config("Llama-3.1-8B", "H100-SXM", "fp8", "bf16").resolve(CATALOG);
        assertThat(d.model().bytesPerParam()).isEqualTo(1);
        assertThat(d.model().kvBytesPerElement()).isEqualTo(2);
    }

    @Test
    void fp8OnAGpuWithoutFp8TensorCoresIsAConfigErrorNamingTheField() {
        assertThatThrownBy(() -> config("Llama-3.1-8B", "A100-80GB", "fp8", null).resolve(CATALOG))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deployment.precision").hasMessageContaining("A100-80GB");
        assertThatThrownBy(() -> config("Llama-3.1-8B", "H100-SXM", "int3", null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("precision must be one of [bf16, fp16, fp8]");
    }
}
