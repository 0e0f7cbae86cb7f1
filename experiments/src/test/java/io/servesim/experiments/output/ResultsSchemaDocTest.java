package io.servesim.experiments.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/results-schema.md declares every column a results row has, and no metric column the code does not write. */
class ResultsSchemaDocTest {
    private static final Path DOC = Path.of("..", "docs", "results-schema.md");
    private static final Pattern LATENCY = Pattern.compile("(.+)_(mean|p50|p90|p95|p99)_s");

    @Test
    void everyResultColumnIsDocumentedInTheSchemaDoc() throws IOException {
        String doc = Files.readString(DOC);
        Scenario tiny = Scenario.fromTree((ObjectNode) new ObjectMapper().createObjectNode().put("workload", "stress"));
        RunMetrics metrics = ScenarioRunner.run(tiny.withWorkload(tiny.workload().withRequests(50))).metrics();
        List<String> columns = new ArrayList<>(ResultRow.IDENTITY_COLUMNS);
        columns.addAll(metrics.columns().keySet());

        List<String> undocumented = new ArrayList<>();
        for (String column : columns) {
            Matcher latency = LATENCY.matcher(column);
            boolean documented = doc.contains("`" + column + "`")
                    || latency.matches() && doc.contains("| `" + latency.group(1) + "` |");
            if (!documented) {
                undocumented.add(column);
            }
        }
        assertThat(undocumented).as("columns missing from docs/results-schema.md").isEmpty();
    }
}
