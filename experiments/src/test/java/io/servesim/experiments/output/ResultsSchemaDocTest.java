package io.servesim.experiments.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.experiments.plan.CapacityRecord;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/results-schema.md is the schema's description and the code its one writer: the columns a row has are exactly
 * the columns the document lists, in its order, with and without the capacity columns.
 */
class ResultsSchemaDocTest {

    @Test
    void aResultRowHasExactlyTheColumnsOfTheSchemaDocInItsOrder() {
        Scenario tiny = Scenario.fromTree((ObjectNode) new ObjectMapper().createObjectNode().put("workload", "stress"));
        RunMetrics metrics = ScenarioRunner.run(tiny.withWorkload(tiny.workload().withRequests(50))).metrics();
        List<String> columns = new ArrayList<>(ResultRow.IDENTITY_COLUMNS);
        columns.addAll(metrics.columns().keySet());

        assertThat(columns).as("docs/results-schema.md, Columns (in this order)").containsExactlyElementsOf(
                ResultsSchemaDoc.columns(false));
        columns.addAll(CapacityRecord.COLUMNS);
        assertThat(columns).containsExactlyElementsOf(ResultsSchemaDoc.columns(true));
    }
}
