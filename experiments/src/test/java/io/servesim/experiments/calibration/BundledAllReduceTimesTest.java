package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.AllReduceTimes;
import io.servesim.core.model.CollectiveCost;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's measured all-reduce curves are the shipped measurements ({@code calibration/allreduce/
 * allreduce_measurements.csv}): for each GPU and group size, the fastest CUDA-graph row at each message size, the
 * algorithm a serving engine that dispatches by size would run; H200 carries H100-SXM's.
 */
class BundledAllReduceTimesTest {

    private static final Catalog CATALOG = Catalog.load();

    @Test
    void eachCatalogCurveIsTheFastestCudaGraphMeasurementAtEachSize() throws IOException {
        Map<String, Map<Integer, TreeMap<Double, Double>>> fastest = fastestCudaGraphRows();
        for (String gpu : new String[] {"H100-SXM", "B200"}) {
            AllReduceTimes times = CATALOG.gpu(gpu).allReduce();
            Map<Integer, TreeMap<Double, Double>> measured = fastest.get(gpu);
            measured.values().removeIf(points -> points.size() < 2); // one point makes no curve
            assertThat(times.worldSizes().keySet()).as(gpu).isEqualTo(measured.keySet());
            measured.forEach((size, points) -> {
                double[][] curve = times.worldSizes().get(size);
                assertThat(curve).as("%s, %d GPUs", gpu, size).hasNumberOfRows(points.size());
                int i = 0;
                for (Map.Entry<Double, Double> point : points.entrySet()) {
                    assertThat(curve[i++]).as("%s, %d GPUs", gpu, size)
                            .containsExactly(point.getKey(), point.getValue());
                }
            });
        }
        assertThat(CATALOG.gpu("H200").allReduce().worldSizes()).usingRecursiveComparison()
                .isEqualTo(CATALOG.gpu("H100-SXM").allReduce().worldSizes());
    }

    @Test
    void h100AllReducesOfEightGpusTakeWhatVllmsBenchmarkMeasured() {
        // vLLM PR 24111, H100, 8 GPUs, (64, 8192) bf16 = 1 MiB: torch symmetric memory (multimem) 17 µs, the fastest of
        // the five; 2.5 MiB is half-way from 2 MiB (20 µs) to 3 MiB (23 µs): 21.5 µs.
        CollectiveCost eight = CollectiveCost.measured(CATALOG.gpu("H100-SXM").allReduce().points(8));
        assertThat(eight.seconds(1_048_576)).isEqualTo(17e-6);
        assertThat(eight.seconds(2_621_440)).isCloseTo(21.5e-6, org.assertj.core.api.Assertions.within(1e-12));
    }

    private static Map<String, Map<Integer, TreeMap<Double, Double>>> fastestCudaGraphRows() throws IOException {
        Map<String, Map<Integer, TreeMap<Double, Double>>> fastest = new TreeMap<>();
        try (InputStream in = BundledAllReduceTimesTest.class.getClassLoader()
                .getResourceAsStream("io/servesim/experiments/calibration/allreduce/allreduce_measurements.csv")) {
            assertThat(in).isNotNull();
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                if (!row.get("cuda_graph").equals("yes")) {
                    continue;
                }
                fastest.computeIfAbsent(row.get("gpu"), g -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(row.get("world_size")), s -> new TreeMap<>())
                        .merge(Double.parseDouble(row.get("bytes")), Double.parseDouble(row.get("time_us")), Math::min);
            }
        }
        return fastest;
    }
}
