package io.servesim.workloads;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadModuleTest {

    @Test
    void everyInjectionGetsAFreshSourceWithTheSameRequests() {
        Injector injector = Guice.createInjector(new WorkloadModule(Presets.load("stress").withRequests(100), 42));
        WorkloadSource first = injector.getInstance(WorkloadSource.class);
        WorkloadSource second = injector.getInstance(WorkloadSource.class);
        assertThat(first).isNotSameAs(second);
        for (int i = 0; i < 100; i++) {
            assertThat(second.next()).isEqualTo(first.next());
        }
        assertThat(first.next()).isNull();
        assertThat(injector.getInstance(Workload.class)).isSameAs(injector.getInstance(Workload.class));
    }
}
