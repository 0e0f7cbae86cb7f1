package io.servesim.schedulers;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.schedulers.batch.BinSelectionPolicy;
import io.servesim.schedulers.batch.CapacityPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerSpecTest {

    private static <T> T read(String yaml, Class<T> type) {
        try {
            return ConfigMapper.convert(ConfigMapper.yaml().readTree(yaml), type, "scheduler");
        } catch (JsonProcessingException e) {
            throw ConfigMapper.translate(e, "scheduler", "scheduler");
        }
    }

    @Test
    void everyTypeReadsFromYamlWithDefaults() {
        assertThat(read("type: static\nbatch_size: 16\nmax_wait_seconds: 1.0e9", SchedulerSpec.class))
                .isEqualTo(new SchedulerSpec.Static(16, 1.0e9));
        assertThat(read("type: continuous\ncapacity_policy: guaranteed_no_evict", SchedulerSpec.class))
                .isEqualTo(new SchedulerSpec.Continuous(CapacityPolicy.GUARANTEED_NO_EVICT));
        assertThat(read("type: dynamic\nmemory_fraction: 0.8\nsla_headroom: 0.5", SchedulerSpec.class))
                .isEqualTo(new SchedulerSpec.Dynamic(null, null, 0.8, null, null, 0.5, null, null, null));
        SchedulerSpec.MultiBin multiBin = (SchedulerSpec.MultiBin) read("""
                type: multi_bin
                bins: 8
                predictor: noisy
                noise: uniform
                relative_error: 0.3
                bin_policy: longest_queue
                batching: {type: static, batch_size: 4}
                """, SchedulerSpec.class);
        assertThat(multiBin.bins()).isEqualTo(8);
        assertThat(multiBin.binPolicy()).isEqualTo(BinSelectionPolicy.LONGEST_QUEUE);
        assertThat(multiBin.batching()).isEqualTo(new SchedulerSpec.Static(4, null));
        assertThat(read("type: parallel_stream\nstreams: 3\noverlap_efficiency: 0.6\nstrategy: balanced", SchedulerSpec.class))
                .isEqualTo(new SchedulerSpec.ParallelStream(3, 0.6, StreamStrategy.BALANCED, null));
        assertThat(read("type: simple", SchedulerSpec.class)).isEqualTo(new SchedulerSpec.Simple());
        assertThat(read("type: power_of_two", RouterSpec.class)).isEqualTo(new RouterSpec.PowerOfTwo());
    }

    @Test
    void specsWrittenAsJsonReadBackEqual() throws JsonProcessingException {
        SchedulerSpec spec = SchedulerSpec.MultiBin.withBins(3);
        String json = ConfigMapper.json().writerFor(SchedulerSpec.class).writeValueAsString(spec);
        assertThat(json).contains("\"type\" : \"multi_bin\"", "\"bin_policy\" : \"oldest_head\"");
        assertThat(ConfigMapper.json().readValue(json, SchedulerSpec.class)).isEqualTo(spec);
    }

    @Test
    void unknownTypeFailsWithTheValidNames() {
        assertThatThrownBy(() -> read("type: fancy", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown type 'fancy'")
                .hasMessageContaining("multi_bin");
        assertThatThrownBy(() -> Scenarios.registry().schedulerType("fancy"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[continuous, dynamic, multi_bin");
        assertThatThrownBy(() -> Scenarios.registry().routerType("nearest"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("least_loaded");
    }

    @Test
    void badParametersNameTheirField() {
        assertThatThrownBy(() -> read("type: multi_bin\nbins: 0", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scheduler.bins must be >= 1, got 0");
        assertThatThrownBy(() -> read("type: static\nbatch_size: 0", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch_size must be >= 1, got 0");
        assertThatThrownBy(() -> read("type: static\nmax_wait_seconds: -1.0", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_wait_seconds must be >= 0, got -1.0");
        assertThatThrownBy(() -> read("type: dynamic\nmemory_fraction: 1.5", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("memory_fraction");
        assertThatThrownBy(() -> read("type: multi_bin\nbatching: {type: simple}", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batching.type must be dynamic or static");
        assertThatThrownBy(() -> read("type: static\nbatch: 4", SchedulerSpec.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown field 'batch'");
    }

    @Test
    void binAffinityNeedsMultiBin() {
        assertThatThrownBy(() -> Scenarios.registry().router(new SchedulerSpec.Simple(), new RouterSpec.BinAffinity(),
                Scenarios.context(Scenarios.saturated(1, 1, 1, 10))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bin_affinity");
    }
}
