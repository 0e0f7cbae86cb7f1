package io.servesim.experiments.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.config.ConfigMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes result JSON files (config.json, summary.json) as strict JSON, which every parser reads: a non-finite
 * number — an infinite limit ("no limit", e.g. {@code queue_timeout_seconds}) or NaN ("no sample") — is written as
 * {@code null}. A configuration key whose value is {@code null} takes its default, which for every limit is "no
 * limit", so a scenario read back from such a file is the same scenario.
 */
public final class StrictJson {
    private StrictJson() {
    }

    /** Writes {@code value} to {@code file} atomically, snake_case and indented like every config file. */
    public static void write(Path file, Object value) {
        JsonNode tree = ConfigMapper.json().valueToTree(value);
        JsonNode strict = withoutNonFinite(tree);
        AtomicFiles.write(file, (OutputStream out) -> ConfigMapper.json().writeValue(out, strict));
    }

    /** The tree with every non-finite number replaced by null. */
    static JsonNode withoutNonFinite(JsonNode node) {
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.asDouble())) {
            return NullNode.getInstance();
        }
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(withoutNonFinite(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withoutNonFinite(array.get(i)));
            }
        }
        return node;
    }
}
