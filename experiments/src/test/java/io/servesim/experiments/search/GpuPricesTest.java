package io.servesim.experiments.search;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuPricesTest {
    @Test
    void theBundledTableNamesASourceAndADateForEachCatalogGpuItPrices() {
        GpuPrices prices = GpuPrices.load(Optional.empty());
        Catalog catalog = Catalog.load();
        for (String gpu : List.of("A100-80GB", "H100-SXM", "H200")) {
            GpuPrices.Price price = prices.of(gpu.toLowerCase());
            assertThat(catalog.gpu(price.gpu()).name()).isEqualTo(gpu);
            assertThat(price.usdPerGpuHour()).isBetween(0.5, 20.0);
            assertThat(price.source()).isNotBlank();
            assertThat(price.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
        }
    }

    @Test
    void aUserFileReplacesTheRowsItNamesAndKeepsTheOthers(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("prices.csv"),
                "gpu,usd_per_gpu_hour,source,as_of\nh100-sxm,2.5,our contract,2026-11-01\nL40S,1.1,our contract,2026-11-01\n");
        GpuPrices prices = GpuPrices.load(Optional.of(file));
        assertThat(prices.of("H100-SXM").usdPerGpuHour()).isEqualTo(2.5);
        assertThat(prices.of("L40S").source()).isEqualTo("our contract");
        assertThat(prices.of("H200").usdPerGpuHour())
                .isEqualTo(GpuPrices.load(Optional.empty()).of("H200").usdPerGpuHour());
    }

    @Test
    void aPriceThatIsNotPositiveNamesTheLineAndTheColumn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("prices.csv"), "gpu,usd_per_gpu_hour,source,as_of\nH200,-3,x,2026-01-01\n");
        assertThatThrownBy(() -> GpuPrices.load(Optional.of(file))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1").hasMessageContaining("usd_per_gpu_hour must be a positive number");
    }

    @Test
    void aGpuWithoutAPriceSaysHowToAddOne() {
        assertThatThrownBy(() -> GpuPrices.load(Optional.empty()).of("L40S")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no price for GPU L40S").hasMessageContaining("--prices");
    }
}
