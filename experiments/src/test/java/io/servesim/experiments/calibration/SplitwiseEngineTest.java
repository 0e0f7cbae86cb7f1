package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeBreakdown;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Splitwise ran one serving engine on A100s and H100s. Its A100 rows fitted that engine's coefficients (the
 * A100-80GB entry), so its H100 rows are judged with the H100's kernels and that engine (docs/calibration.md), and
 * say so in their table name.
 */
class SplitwiseEngineTest {
    private static final Catalog CATALOG = Catalog.load();

    private static DataSource h100Splitwise() {
        return CalibrationSplit.bundled().get("H100-SXM").report().stream()
                .filter(s -> s.kind().equals("splitwise")).findFirst().orElseThrow();
    }

    @Test
    void theH100RowsArePredictedWithTheKernelsOfTheH100AndTheEngineFittedOnTheA100Rows() {
        DataSource source = h100Splitwise();
        assertThat(source.engineOf()).isEqualTo("A100-80GB");
        List<MeasuredRow> rows = source.rows(CATALOG, new ArrayList<>());
        assertThat(rows).hasSize(840).allMatch(r -> r.table().endsWith("/h100-80gb/tp" + r.setup().tp()
                + " (engine of A100-80GB)"));

        GpuSpec h100 = CATALOG.gpu("H100-SXM");
        GpuCalibration a100 = CATALOG.gpu("A100-80GB").calibration();
        MeasuredRow token = rows.stream().filter(r -> r.phase().equals("token")).findFirst().orElseThrow();
        BatchShape decode = new BatchShape().setDecode(8, 8 * 1500L);
        StepTimeBreakdown carried = token.setup().stepTimeModel(h100).breakdown(decode);
        StepTimeBreakdown own = new ReplicaSetupKey(token.setup().model(), token.setup().tp(), true)
                .stepTimeModel(h100).breakdown(decode);
        // a CUDA-graph decode of 8 sequences: that engine's host time O_g + β · 8, about 19.4 ms, against the
        // vLLM engine's ~0; the GEMMs are the H100's either way (only their floors scale with the engine's φ)
        assertThat(carried.cudaGraph()).isTrue();
        assertThat(carried.overheadSeconds()).isCloseTo(
                (a100.graphIterationOverheadMicros() + 8 * a100.perSequenceOverheadMicros()) * 1e-6, within(1e-12));
        assertThat(own.overheadSeconds()).isLessThan(1e-6);
        assertThat(carried.communicationSeconds()).isEqualTo(own.communicationSeconds());
        BatchShape prefill = new BatchShape().addPrefillChunk(2048, 0);
        assertThat(token.setup().stepTimeModel(h100).breakdown(prefill).gemmSeconds())
                .isEqualTo(new ReplicaSetupKey(token.setup().model(), token.setup().tp(), true).stepTimeModel(h100)
                        .breakdown(prefill).gemmSeconds());
    }

    @Test
    void aKernelTableCannotTakeAnotherEngine() {
        assertThatThrownBy(() -> new DataSource("layers", "t.csv", "Llama-3.1-8B", 1, null, "A100-80GB"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("engine_of");
    }
}
