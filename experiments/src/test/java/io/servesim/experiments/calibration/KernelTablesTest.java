package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A layer table's rows add its operators in one fixed order, so that the same table gives the same bits in every JVM
 * (a hash set's iteration order changes from one JVM to the next, and floating-point addition is not associative).
 */
class KernelTablesTest {

    @Test
    void theOperatorsOfARowAreAddedInLayerOrder() {
        List<MeasuredRow> rows = new DataSource("layers", "llmservingsim-h100/Llama-3.1-8B/tp1/layers.csv",
                "Llama-3.1-8B", 1, null).rows(Catalog.load(), new ArrayList<>());
        // Llama-3.1-8B, TP 1, one token (layers.csv, ns): q 16,078, k 8,275, v 8,065, o 15,995, gate 41,769,
        // up 39,978, down 42,647; input norm 17,701, post norm 17,120, rope 26,853, act 4,179
        double gemm = 0;
        for (double ns : new double[] {16078, 8275, 8065, 15995, 41769, 39978, 42647}) {
            gemm += ns * 1e-9;
        }
        double elementwise = 0;
        for (double ns : new double[] {17701, 17120, 26853, 4179}) {
            elementwise += ns * 1e-9;
        }
        // 3,962 of the 5,040 orders of the seven GEMMs give other bits
        assertThat(rows.get(0).phase()).isEqualTo("gemm");
        assertThat(rows.get(0).measuredSeconds()).isEqualTo(gemm);
        assertThat(rows.get(2).phase()).isEqualTo("element-wise");
        assertThat(rows.get(2).measuredSeconds()).isEqualTo(elementwise);
    }
}
