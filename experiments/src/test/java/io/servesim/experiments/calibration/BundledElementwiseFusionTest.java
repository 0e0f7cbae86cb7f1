package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The catalog's element-wise fusion ψ of H100-SXM (and the GPUs that carry its vLLM engine coefficients) is the shipped
 * measurement ({@code calibration/elementwise/rmsnorm_h100.csv}): the median of vLLM's fused RMSNorm time over
 * HuggingFace's eager one, on the rows of 1,024 tokens or more; GPUs without a serving-engine fit keep the profiled
 * kernels (ψ = 1).
 */
class BundledElementwiseFusionTest {

    private static final Catalog CATALOG = Catalog.load();

    @Test
    void theCatalogFusionIsTheMedianMeasuredRatioOfLargeInputs() throws IOException {
        List<Double> ratios = new ArrayList<>();
        for (CSVRecord row : rows()) {
            if (Integer.parseInt(row.get("tokens")) >= 1024) {
                ratios.add(Double.parseDouble(row.get("vllm_us")) / Double.parseDouble(row.get("huggingface_us")));
            }
        }
        // six rows of 1,024-4,096 tokens: 0.249, 0.251, 0.289, 0.291, 0.293, 0.300
        assertThat(ratios).hasSize(6);
        double median = new Median().evaluate(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(median).isCloseTo(0.290, within(0.001));
        for (String gpu : new String[] {"H100-SXM", "H100-PCIe", "H200", "B200", "L40S"}) {
            assertThat(CATALOG.gpu(gpu).calibration().elementwiseFusion()).as(gpu).isCloseTo(median, within(1e-12));
        }
        assertThat(CATALOG.gpu("A100-80GB").calibration().elementwiseFusion()).isEqualTo(1.0);
    }

    @Test
    void atLaunchBoundSizesTheFusedKernelTakesTheSameShareSoTheFusionScalesTheFloorToo() throws IOException {
        // ψ also scales the element-wise floor τ_e (docs/model.md): below 1,024 tokens the kernels wait on launches
        // and latency, and the fused kernel's share of the eager chain is the same as at the memory-bound sizes:
        // 0.223, 0.270, 0.276, 0.290, 0.291, 0.299 (64-512 tokens), median 0.283
        List<Double> ratios = new ArrayList<>();
        for (CSVRecord row : rows()) {
            if (Integer.parseInt(row.get("tokens")) < 1024) {
                ratios.add(Double.parseDouble(row.get("vllm_us")) / Double.parseDouble(row.get("huggingface_us")));
            }
        }
        assertThat(ratios).hasSize(6).allSatisfy(r -> assertThat(r).isBetween(0.22, 0.30));
        double median = new Median().evaluate(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(median).isCloseTo(CATALOG.gpu("H100-SXM").calibration().elementwiseFusion(), within(0.01));
    }

    @Test
    void everyRowTimesTheSameNormalisationThreeWaysAndTheFusedKernelsAreFaster() throws IOException {
        List<CSVRecord> rows = rows();
        assertThat(rows).hasSize(12);
        for (CSVRecord row : rows) {
            assertThat(Integer.parseInt(row.get("tokens")))
                    .isEqualTo(Integer.parseInt(row.get("batch_size")) * Integer.parseInt(row.get("seq_len")));
            double eager = Double.parseDouble(row.get("huggingface_us"));
            assertThat(Double.parseDouble(row.get("vllm_us"))).isLessThan(eager);
            assertThat(Double.parseDouble(row.get("flashinfer_us"))).isLessThan(eager);
            assertThat(row.get("source_url")).startsWith("https://github.com/");
        }
    }

    private static List<CSVRecord> rows() throws IOException {
        try (InputStream in = BundledElementwiseFusionTest.class.getClassLoader()
                .getResourceAsStream("io/servesim/experiments/calibration/elementwise/rmsnorm_h100.csv")) {
            assertThat(in).isNotNull();
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8)).getRecords();
        }
    }
}
