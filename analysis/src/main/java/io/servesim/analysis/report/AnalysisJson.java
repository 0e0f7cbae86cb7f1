package io.servesim.analysis.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.RunDescription;
import io.servesim.analysis.findings.StepFindings;
import java.util.List;

/** Writes analysis.json: the findings of every step and the list of figures made. */
public final class AnalysisJson {

    /** The root object of analysis.json. */
    public record Document(RunDescription simulated, List<String> inputFiles, boolean stressPlan, List<String> rules,
                           List<StepFindings> steps, List<Figure> figures) {
    }

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    public String write(Findings findings, List<Figure> figures) {
        Document document = new Document(findings.description(), findings.inputFiles(), findings.stressPlan(), findings.rules(),
                findings.steps(), figures);
        try {
            return mapper.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("findings cannot be written as JSON", e);
        }
    }
}
