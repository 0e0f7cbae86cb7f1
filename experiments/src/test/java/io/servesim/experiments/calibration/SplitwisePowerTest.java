package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuPower;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The catalog's power figures and the power cap's shape against the Splitwise rows they come from (the shipped
 * perf_model.csv).
 */
class SplitwisePowerTest {
    private static final String FILE = "io/servesim/experiments/calibration/splitwise/perf_model.csv";
    private static List<CSVRecord> rows;

    @BeforeAll
    static void read() throws Exception {
        try (Reader in = new InputStreamReader(SplitwisePowerTest.class.getClassLoader().getResourceAsStream(FILE),
                StandardCharsets.UTF_8)) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    @Test
    void thePhaseFractionsAreTheMediansOfTheRowsWithPower() {
        List<Double> peak = new ArrayList<>();
        List<Double> average = new ArrayList<>();
        for (CSVRecord r : rows) {
            if (Double.parseDouble(r.get("peak_power")) > 0) {
                assertThat(r.get("hardware")).isEqualTo("a100-80gb");
                peak.add(Double.parseDouble(r.get("peak_power")));
                average.add(Double.parseDouble(r.get("average_power")));
            }
        }
        assertThat(peak).hasSize(260);
        GpuPower a100 = Catalog.load(Optional.empty()).gpu("A100-80GB").power();
        // Medians 1.0024 (capped at 1: a GPU does not draw above TDP for long) and 0.6055.
        assertThat(a100.prefillFraction()).isEqualTo(Math.min(1.0, Math.round(SplitwiseTable.median(peak) * 100) / 100.0));
        assertThat(a100.decodeFraction()).isEqualTo(Math.round(SplitwiseTable.median(average) * 100) / 100.0);
    }

    @Test
    void thePowerCapExponentReproducesTheCappedH100Rows() {
        Map<String, double[]> uncapped = new HashMap<>();
        for (CSVRecord r : rows) {
            if (r.get("hardware").equals("h100-80gb")) {
                uncapped.put(key(r), new double[] {Double.parseDouble(r.get("prompt_time")),
                        Double.parseDouble(r.get("token_time"))});
            }
        }
        List<Double> promptRatios = new ArrayList<>();
        List<Double> tokenRatios = new ArrayList<>();
        for (CSVRecord r : rows) {
            double[] base = uncapped.get(key(r));
            if (r.get("hardware").equals("h100-80gb-pcap") && base != null) {
                promptRatios.add(Double.parseDouble(r.get("prompt_time")) / base[0]);
                tokenRatios.add(Double.parseDouble(r.get("token_time")) / base[1]);
            }
        }
        // Each capped row against the last uncapped row of its setting (repeats of a setting): median ratios.
        assertThat(promptRatios).hasSize(420);
        assertThat(SplitwiseTable.median(promptRatios)).isCloseTo(1.30, within(0.005));
        assertThat(SplitwiseTable.median(tokenRatios)).isCloseTo(1.00, within(0.005));
        // Read as a cap at 70 % of the catalog H100-SXM's TDP: the cap's compute scale gives prompts 1.30× slower.
        GpuPower h100 = Catalog.load(Optional.empty()).gpu("H100-SXM").power();
        assertThat(1 / h100.computeScale(0.7)).isCloseTo(SplitwiseTable.median(promptRatios), within(0.005));
    }

    private static String key(CSVRecord r) {
        return String.join("/", r.get("model"), r.get("prompt_size"), r.get("batch_size"), r.get("token_size"),
                r.get("tensor_parallel"));
    }
}
