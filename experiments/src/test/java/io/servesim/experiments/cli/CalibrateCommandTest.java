package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.catalog.CatalogFile;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.StepTimeProfile;
import io.servesim.core.model.StepTimeProfileCsv;
import io.servesim.experiments.calibration.CalibrationRows;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code servesim calibrate} as users call it. */
class CalibrateCommandTest {
    private static final Path FIXTURE = Path.of("../core/src/main/resources/io/servesim/core/profiles/roofline-llama-2-7b.csv");

    @Test
    void aProfileOfKnownIterationTimesGivesBackTheHostOverheadsThatMadeThem(@TempDir Path dir) throws Exception {
        // A profile of the fixture's iterations timed by the H100-SXM model with O_e = 1000 µs and O_g = 300 µs; the
        // fit starts from a catalog whose H100-SXM has O_e = 2500 µs and O_g = 50 µs and must find 1000 and 300 again.
        GpuSpec bundled = Catalog.load().gpu("H100-SXM");
        GpuSpec truth = withOverheads(bundled, 1000, 300);
        RooflineStepTimeModel model = RooflineStepTimeModel.singleGpu(Catalog.load().model("Llama-2-7B"), truth);
        StringBuilder csv = new StringBuilder(String.join(",", StepTimeProfileCsv.COLUMNS)).append('\n');
        for (StepTimeProfile.Point p : StepTimeProfileCsv.read(FIXTURE).get(0).points()) {
            csv.append(String.format(Locale.ROOT, "Llama-2-7B,H100-SXM,1,%d,%d,%d,%.6f%n", p.prefillTokens(),
                    p.decodeBatch(), p.contextTokens(), model.stageSeconds(p.shape()) * 1e3));
        }
        Path profile = Files.writeString(dir.resolve("profile.csv"), csv);
        Path catalog = Files.writeString(dir.resolve("start.json"), "{\"gpus\": ["
                + ConfigMapper.json().writeValueAsString(withOverheads(bundled, 2500, 50)) + "]}");
        Path out = dir.resolve("fitted.json");
        CliTestSupport.Result result = CliTestSupport.run("calibrate", "--gpu", "h100-sxm", "--catalog",
                catalog.toString(), "--profile", profile.toString(), "--fit",
                "iteration_overhead_micros,graph_iteration_overhead_micros", "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("74 rows fitted").contains("prefill iteration").contains("decode iteration");
        GpuSpec fitted = ConfigMapper.read(out, CatalogFile.class).gpus().get(0);
        assertThat(fitted.calibration().iterationOverheadMicros()).isCloseTo(1000, within(10.0));
        assertThat(fitted.calibration().graphIterationOverheadMicros()).isCloseTo(300, within(3.0));
        assertThat(fitted.calibration().gemmEfficiency()).isEqualTo(bundled.calibration().gemmEfficiency());
    }

    private static GpuSpec withOverheads(GpuSpec gpu, double eager, double graph) {
        ObjectNode node = ConfigMapper.json().valueToTree(gpu);
        ((ObjectNode) node.get("calibration")).put("iteration_overhead_micros", eager)
                .put("graph_iteration_overhead_micros", graph);
        return ConfigMapper.convert(node, GpuSpec.class, "test");
    }

    @Test
    void theBundledSplitReportsFittedAndHeldOutRowsApart(@TempDir Path dir) throws Exception {
        CliTestSupport.Result result = CliTestSupport.run("calibrate", "--gpu", "A100-80GB", "--out",
                dir.resolve("a100.json").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("210 rows fitted").contains("630 held out")
                .contains("fit       Llama-2-70B/a100-80gb/tp4").contains("held-out  BLOOM-176B/a100-80gb/tp8")
                .contains("held-out median |error| (p90): prompt");
        JsonNode written = ConfigMapper.json().readTree(dir.resolve("a100.json").toFile());
        assertThat(written.at("/gpus/0/calibration/validated_error").asText()).startsWith("held-out median");

        // beside the overlay, every row with its prediction and error; a table's median in the console is the median
        // of its rows' |error| in the file
        List<CSVRecord> rows;
        try (var reader = Files.newBufferedReader(dir.resolve("a100_rows.csv"))) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
        assertThat(rows).hasSize(840);
        assertThat(rows.get(0).getParser().getHeaderNames()).isEqualTo(CalibrationRows.COLUMNS);
        assertThat(rows).filteredOn(r -> r.get("role").equals("fit")).hasSize(210);
        for (CSVRecord r : rows) {
            double measured = Double.parseDouble(r.get("measured_ms"));
            assertThat(Double.parseDouble(r.get("error"))).isCloseTo(
                    (Double.parseDouble(r.get("predicted_ms")) - measured) / measured, within(1e-9));
        }
        double[] bloomPrompt = rows.stream().filter(r -> r.get("role").equals("held_out")
                        && r.get("table").equals("BLOOM-176B/a100-80gb/tp8") && r.get("phase").equals("prompt"))
                .mapToDouble(r -> Math.abs(Double.parseDouble(r.get("error")))).toArray();
        assertThat(bloomPrompt).hasSize(105);
        assertThat(result.out()).containsPattern("held-out  BLOOM-176B/a100-80gb/tp8 +prompt +105 +"
                + String.format(Locale.ROOT, "%.1f", 100 * new Median().evaluate(bloomPrompt)).replace(".", "\\.") + "%");
        assertThat(rows).anySatisfy(r -> assertThat(r.get("shape")).isEqualTo("batch 1, prompt 512, output 128"));
    }

    @Test
    void mistakesAreOneLineWithStatusTwoAndWriteNothing(@TempDir Path dir) {
        for (List<String> args : List.of(
                List.of("calibrate", "--gpu", "H200"),
                List.of("calibrate", "--gpu", "H100-SXM", "--layers", "Llama-3.1-8B:layers.csv"),
                List.of("calibrate", "--gpu", "H100-SXM", "--layers", "Llama-3.1-8B:one:layers.csv"),
                List.of("calibrate", "--gpu", "H100-SXM", "--attention", "no-such-file.csv"),
                List.of("calibrate", "--gpu", "H100-SXM", "--profile", FIXTURE.toString(), "--fit", "speed"),
                List.of("calibrate", "--gpu", "Z100"))) {
            String[] withOut = new java.util.ArrayList<>(args) {{
                add("--out");
                add(dir.resolve("x.json").toString());
            }}.toArray(String[]::new);
            CliTestSupport.Result result = CliTestSupport.run(withOut);
            assertThat(result.exitCode()).as(args + ": " + result.err()).isEqualTo(2);
            assertThat(result.err().strip().lines().count()).as(args + ": " + result.err()).isEqualTo(1);
            assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(dir.resolve("x.json")).doesNotExist();
    }
}
