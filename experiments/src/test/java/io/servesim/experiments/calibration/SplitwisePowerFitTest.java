package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuPower;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The catalog's utilisation power weights are the fit of the shipped Splitwise rows, and the held-out errors are those
 * docs/calibration.md reports ("GPU power").
 */
class SplitwisePowerFitTest {
    private static final String FILE = "io/servesim/experiments/calibration/splitwise/perf_model.csv";
    private static List<SplitwisePowerFit.Row> rows;
    private static GpuPower a100;

    @BeforeAll
    static void read() throws Exception {
        Catalog catalog = Catalog.load();
        try (Reader in = new InputStreamReader(SplitwisePowerFitTest.class.getClassLoader().getResourceAsStream(FILE),
                StandardCharsets.UTF_8)) {
            rows = SplitwisePowerFit.read(in, catalog);
        }
        a100 = catalog.gpu("A100-80GB").power().withModel(GpuPower.UTILISATION);
    }

    @Test
    void theSplitIsFixedAndTheFailedRowsAreLeftOut() {
        // 260 rows with power, less the 15 Llama-2-70B rows of 8,192-token prompts at 0.17–0.18 of TDP
        assertThat(rows).hasSize(245);
        assertThat(SplitwisePowerFit.of(rows, SplitwisePowerFit.FIT)).hasSize(120);
        assertThat(SplitwisePowerFit.of(rows, SplitwisePowerFit.REPORT)).hasSize(125);
        assertThat(rows).allMatch(r -> r.averageFraction() >= SplitwisePowerFit.IMPLAUSIBLE_AVERAGE);
    }

    @Test
    void theCatalogWeightsAreTheFitOfTheFittedRows() {
        SplitwisePowerFit.Weights w = SplitwisePowerFit.fit(SplitwisePowerFit.of(rows, SplitwisePowerFit.FIT),
                a100.idleWatts() / a100.tdpWatts());
        // a = 1.542, b = 1.226, rounded to two decimals in the catalog
        assertThat(a100.mfuWeight()).isEqualTo(Math.round(w.mfuWeight() * 100) / 100.0);
        assertThat(a100.mbuWeight()).isEqualTo(Math.round(w.mbuWeight() * 100) / 100.0);
        assertThat(w.mfuWeight()).isCloseTo(1.542, within(0.0005));
        assertThat(w.mbuWeight()).isCloseTo(1.226, within(0.0005));
    }

    @Test
    void heldOutErrorsAreTheDocumentedOnes() {
        // docs/calibration.md, "GPU power": median |relative error| on the held-out rows (Llama-2-70B TP 4, BLOOM-176B
        // TP 8), by utilisation and by state.
        List<SplitwisePowerFit.Row> report = SplitwisePowerFit.of(rows, SplitwisePowerFit.REPORT);
        assertErrors(utilisation(report), 0.028, 0.201, 0.056, 0.082);
        assertErrors(state(report), 0.035, 0.023, 0.040, 0.056);
        // Per held-out table, and the fitted TP 8 table where the state model's one decode fraction is furthest off.
        assertErrors(utilisation(table("Llama-2-70B/tp4")), 0.051, 0.201, 0.060, 0.117);
        assertErrors(state(table("Llama-2-70B/tp4")), 0.056, 0.021, 0.054, 0.037);
        assertErrors(utilisation(table("BLOOM-176B/tp8")), 0.015, 0.203, 0.013, 0.054);
        assertErrors(state(table("BLOOM-176B/tp8")), 0.031, 0.023, 0.039, 0.065);
        assertErrors(utilisation(table("Llama-2-70B/tp8")), 0.119, 0.193, 0.120, 0.305);
        assertErrors(state(table("Llama-2-70B/tp8")), 0.446, 0.323, 0.452, 0.117);
    }

    private static List<SplitwisePowerFit.Row> table(String name) {
        return SplitwisePowerFit.of(rows, Set.of(name));
    }

    private static SplitwisePowerFit.Errors utilisation(List<SplitwisePowerFit.Row> of) {
        return SplitwisePowerFit.errors(of, r -> a100.utilisationWatts(r.prefill().mfu(), r.prefill().mbu()) / a100.tdpWatts(),
                r -> a100.utilisationWatts(r.decode().mfu(), r.decode().mbu()) / a100.tdpWatts());
    }

    private static SplitwisePowerFit.Errors state(List<SplitwisePowerFit.Row> of) {
        return SplitwisePowerFit.errors(of, r -> a100.prefillFraction(), r -> a100.decodeFraction());
    }

    private static void assertErrors(SplitwisePowerFit.Errors e, double average, double prefill, double decode,
                                     double energy) {
        assertThat(e.averagePower()).as("average power").isCloseTo(average, within(0.0005));
        assertThat(e.prefillPower()).as("prefill power").isCloseTo(prefill, within(0.0005));
        assertThat(e.decodePower()).as("decode power").isCloseTo(decode, within(0.0005));
        assertThat(e.energy()).as("energy").isCloseTo(energy, within(0.0005));
    }
}
