package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigException;

import java.util.ArrayList;
import java.util.List;

/**
 * The id and label templates of a plan step: {@code {key}} is replaced by the value of a dotted key,
 * {@code {s:key}} by "s" unless the value is 1 (plurals: {@code GPU{s:gpus}}), and a {@code [...]} part is left
 * out when a key inside it has no value (e.g. {@code [-k{scheduler.bins}]} for schedulers without bins).
 */
final class Templates {
    private Templates() {
    }

    /** {@code template} with the values of {@code context}; a key outside {@code [...]} without a value is a mistake. */
    static String render(String template, JsonNode context, String what) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '[') {
                int end = template.indexOf(']', i);
                if (end < 0) {
                    throw new ConfigException(what + " '" + template + "': a '[' without its ']'");
                }
                String part = part(template.substring(i + 1, end), context, what, true);
                out.append(part == null ? "" : part);
                i = end + 1;
            } else {
                int next = nextOptional(template, i);
                out.append(part(template.substring(i, next), context, what, false));
                i = next;
            }
        }
        return out.toString();
    }

    private static int nextOptional(String template, int from) {
        int open = template.indexOf('[', from);
        return open < 0 ? template.length() : open;
    }

    /** A piece without brackets; null when optional and some key has no value. */
    private static String part(String piece, JsonNode context, String what, boolean optional) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < piece.length()) {
            int open = piece.indexOf('{', i);
            if (open < 0) {
                out.append(piece, i, piece.length());
                break;
            }
            int close = piece.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException(what + ": a '{' without its '}' in '" + piece + "'");
            }
            out.append(piece, i, open);
            String key = piece.substring(open + 1, close);
            boolean plural = key.startsWith("s:");
            JsonNode value = at(context, plural ? key.substring(2) : key);
            if (value == null || value.isNull() || value.isMissingNode()) {
                if (optional) {
                    return null;
                }
                throw new ConfigException(what + ": {" + key + "} has no value in this cell; put it in [...] to leave"
                        + " the part out when it has none, or name a key of the scenario (e.g. scheduler.type, gpus)");
            }
            out.append(plural ? (value.asDouble() == 1 ? "" : "s") : compact(value));
            i = close + 1;
        }
        return out.toString();
    }

    /** A value as ids and labels show it: text as is, a section by its values joined with '_'. */
    static String compact(JsonNode value) {
        if (value == null) {
            return "";
        }
        if (value.isContainerNode()) {
            List<String> parts = new ArrayList<>();
            value.elements().forEachRemaining(v -> parts.add(compact(v)));
            return String.join("_", parts);
        }
        if (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15) {
            return Long.toString((long) value.asDouble());   // 2.0 reads "2", as in figures
        }
        return value.asText();
    }

    private static JsonNode at(JsonNode context, String dotted) {
        JsonNode node = context;
        for (String key : dotted.split("\\.", -1)) {
            node = node == null ? null : node.get(key);
        }
        return node;
    }
}
