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
import static org.assertj.core.api.Assertions.within;

/**
 * The catalog's measured all-reduce curves are the shipped measurements ({@code calibration/allreduce/
 * allreduce_measurements.csv}): for each GPU and group size, the fastest CUDA-graph row at each message size, the
 * algorithm a serving engine that dispatches by size would run. H200 rows stand for H100-SXM (the same SM 9.0 and
 * NVLink 4/NVSwitch generation) at the sizes where no H100 row was measured, and H200 carries H100-SXM's curves.
 */
class BundledAllReduceTimesTest {

    private static final Catalog CATALOG = Catalog.load();

    /** The catalog GPU whose curves a measured row's GPU stands for; rows of other GPUs make no curve. */
    private static final Map<String, String> CURVE_OF_MEASURED_GPU =
            Map.of("H100-SXM", "H100-SXM", "H200", "H100-SXM", "B200", "B200");

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
    void h100AllReducesOfEightGpusTakeWhatTheBenchmarksMeasured() {
        // vLLM PR 24111, H100, 8 GPUs: 2 MiB 20 µs and 3 MiB 23 µs (symmetric memory, multimem), so 2.5 MiB is half-way:
        // 21.5 µs. At 1 MiB the H100's own measurement (17 µs) stands, though SGLang PR 22734's MSCCL++ on 8 H200s took
        // 14.01 µs there: a stand-in GPU's rows fill only the sizes the GPU's own rows leave open.
        CollectiveCost eight = CollectiveCost.measured(CATALOG.gpu("H100-SXM").allReduce().points(8));
        assertThat(eight.seconds(1_048_576)).isCloseTo(17e-6, within(1e-12));
        assertThat(eight.seconds(2_621_440)).isCloseTo(21.5e-6, within(1e-12));
    }

    @Test
    void smallDecodeBatchesAtTensorParallelEightTakeTheMeasuredSmallMessageTimes() {
        // A decode step of 4 sequences of an 8,192-wide bf16 model all-reduces 4 · 8192 · 2 = 65,536 B: MSCCL++ in a
        // CUDA graph on 8 GPUs, 8.20 µs (not the 0.5 MiB time). 6 sequences (98,304 B) lie half-way from 64 KiB
        // (8.20 µs) to 128 KiB (8.80 µs): 8.50 µs. 1 KiB lies below the first point (2 KiB, 5.86 µs): that time, flat.
        CollectiveCost eight = CollectiveCost.measured(CATALOG.gpu("H100-SXM").allReduce().points(8));
        assertThat(eight.seconds(65_536)).isCloseTo(8.2e-6, within(1e-12));
        assertThat(eight.seconds(98_304)).isCloseTo(8.5e-6, within(1e-12));
        assertThat(eight.seconds(1_024)).isCloseTo(5.86e-6, within(1e-12));
    }

    /**
     * Per catalog GPU and group size, the fastest CUDA-graph time at each message size: of the GPU's own rows where it
     * has any at that size, else of the rows of the GPUs that stand for it.
     */
    private static Map<String, Map<Integer, TreeMap<Double, Double>>> fastestCudaGraphRows() throws IOException {
        Map<String, Map<Integer, TreeMap<Double, Double>>> own = new TreeMap<>();
        Map<String, Map<Integer, TreeMap<Double, Double>>> standIn = new TreeMap<>();
        try (InputStream in = BundledAllReduceTimesTest.class.getClassLoader()
                .getResourceAsStream("io/servesim/experiments/calibration/allreduce/allreduce_measurements.csv")) {
            assertThat(in).isNotNull();
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String curveGpu = CURVE_OF_MEASURED_GPU.get(row.get("gpu"));
                if (!row.get("cuda_graph").equals("yes") || curveGpu == null) {
                    continue;
                }
                (curveGpu.equals(row.get("gpu")) ? own : standIn).computeIfAbsent(curveGpu, g -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(row.get("world_size")), s -> new TreeMap<>())
                        .merge(Double.parseDouble(row.get("bytes")), Double.parseDouble(row.get("time_us")), Math::min);
            }
        }
        standIn.forEach((gpu, sizes) -> sizes.forEach((size, points) -> points.forEach((bytes, micros) ->
                own.computeIfAbsent(gpu, g -> new TreeMap<>()).computeIfAbsent(size, s -> new TreeMap<>())
                        .putIfAbsent(bytes, micros))));
        return own;
    }
}
