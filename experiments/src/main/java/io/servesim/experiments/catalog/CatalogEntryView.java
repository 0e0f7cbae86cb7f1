package io.servesim.experiments.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.catalog.CatalogEntries;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.catalog.SimilarNames;
import io.servesim.core.model.ModelSpec;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code servesim catalog show NAME}: every field of one catalog entry, under the key a catalog file gives it (read
 * generically from the record, so a field added to {@link GpuSpec}, {@link ModelSpec} or a record nested in them
 * shows without a change here), then the quantities ServeSim derives from it; or, with {@code --json}, the entry as
 * a catalog file.
 */
public final class CatalogEntryView {
    private static final double GIB = 1024.0 * 1024.0 * 1024.0;

    private CatalogEntryView() {
    }

    /** The entries named {@code name} ignoring case (a model, a GPU, or both), rendered; empty when none is. */
    public static Optional<String> render(Catalog catalog, String name) {
        List<String> parts = new ArrayList<>();
        catalog.models().find(name).ifPresent(m -> parts.add(model(m, catalog.models())));
        catalog.gpus().find(name).ifPresent(g -> parts.add(gpu(g, catalog.gpus())));
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", parts));
    }

    /** The message for a name that is neither a model nor a GPU: the near names, if any. */
    public static String unknown(Catalog catalog, String name) {
        List<String> all = new ArrayList<>(catalog.modelNames());
        all.addAll(catalog.gpuNames());
        String suggestion = SimilarNames.didYouMean(name, all);
        return "no model or GPU named '" + name + "' in the catalog; "
                + (suggestion.isEmpty() ? "'servesim catalog list' shows every name" : suggestion.strip());
    }

    private static String model(ModelSpec m, CatalogEntries<ModelSpec> entries) {
        StringBuilder sb = header("model", m.name(), entries);
        Lines fields = fields(m);
        sb.append(fields.render("  "));
        int b = (int) m.bytesPerParam() == m.bytesPerParam() ? (int) m.bytesPerParam() : -1;
        String bytes = b > 0 ? Integer.toString(b) : plain(m.bytesPerParam());
        sb.append("derived\n");
        int m3 = m.mlpMatrices();
        Lines derived = new Lines();
        if (m.mla() == null) {
            derived.add("query_width", grouped(m.queryWidth()), "heads · head_dim = " + m.heads() + " · " + m.headDim())
                    .add("kv_width", grouped(m.kvWidth()), "kv_heads · head_dim = " + m.kvHeads() + " · " + m.headDim());
        }
        derived.add("attention_params", grouped(m.attentionParams()), m.mla() == null
                ? "2·h·query_width + 2·h·kv_width"
                : "latent attention: query + KV down (h·(kv_lora_rank + qk_rope_head_dim)) + KV up + output");
        if (m.moe() == null) {
            derived.add("params_per_layer", grouped(m.paramsPerLayer()), "attention_params + " + m3 + "·h·ffn_hidden");
        } else {
            derived.add("expert_params", grouped(m.expertParams()), m3 + "·h·expert_ffn_hidden, one expert")
                    .add("params_per_layer", grouped(m.paramsPerLayer()),
                            "an MoE layer: attention_params + h·experts + (experts + shared_experts) · expert_params");
            if (m.denseLayers() > 0) {
                derived.add("dense_layer_params", grouped(m.denseLayerParams()),
                        "attention_params + " + m3 + "·h·ffn_hidden, each of the first " + m.denseLayers() + " layers");
            }
        }
        derived.add("vocab_params", grouped(m.vocabParams()), "vocab · hidden, per vocabulary matrix")
                .add("total_params", grouped(m.totalParams()), String.format(Locale.ROOT, m.moe() == null
                        ? "%.3f B = layers · params_per_layer + %d · vocab_params"
                        : "%.3f B = dense layers · dense_layer_params + MoE layers · params_per_layer + %d · vocab_params",
                        m.totalParams() / 1e9, m.vocabMatrices()));
        if (m.moe() != null) {
            derived.add("active_params", grouped(m.activeParams()), String.format(Locale.ROOT,
                    "%.3f B per token: %d routed + %d shared experts of every MoE layer", m.activeParams() / 1e9,
                    m.moe().expertsPerToken(), m.moe().sharedExperts()));
        }
        derived.add("weight_bytes", grouped(Math.round(m.weightBytes())), String.format(Locale.ROOT,
                        "%.2f GiB = total_params · %s%s", m.weightBytes() / GIB, bytes,
                        m.moe() == null ? "" : " (every expert is held)"))
                .add("kv_bytes_per_token", grouped(Math.round(m.kvBytesPerToken())), String.format(Locale.ROOT,
                        m.mla() == null ? "%s KiB = 2 · layers · kv_width · %s"
                                : "%s KiB = layers · (kv_lora_rank + qk_rope_head_dim) · %s, on every TP GPU",
                        plain(m.kvBytesPerToken() / 1024), plain(m.kvBytesPerElement())))
                .add("kv_bytes_max_context", grouped(Math.round(m.kvBytesPerToken() * m.maxContextTokens())),
                        String.format(Locale.ROOT, "%.2f GiB for one sequence of max_context_tokens",
                                m.kvBytesPerToken() * m.maxContextTokens() / GIB));
        sb.append(derived.render("  "));
        return sb.toString();
    }

    private static String gpu(GpuSpec g, CatalogEntries<GpuSpec> entries) {
        StringBuilder sb = header("gpu", g.name(), entries);
        sb.append(fields(g).render("  "));
        sb.append("derived\n");
        double ridge = g.peakTflops() * 1e12 / (g.hbmBandwidthGBps() * 1e9);
        Lines derived = new Lines()
                .add("hbm_bytes", grouped(Math.round(g.hbmGiB() * GIB)), "hbm_gib · 2³⁰")
                .add("ridge_flops_per_byte", String.format(Locale.ROOT, "%.1f", ridge),
                        "peak_tflops / hbm_bandwidth_gbps · 10³: kernels below this intensity are memory-bound at peak");
        sb.append(derived.render("  "));
        return sb.toString();
    }

    private static StringBuilder header(String kind, String name, CatalogEntries<?> entries) {
        String source = entries.source(name);
        return new StringBuilder(kind).append(' ').append(name).append(" (")
                .append(source.equals(Catalog.BUNDLED) ? "bundled catalog" : "from " + source).append(")\n")
                .append("fields\n");
    }

    /**
     * Every non-null field of {@code spec} under its catalog-file key, in record order; the fields of a nested object
     * (a GPU's {@code calibration}) as {@code calibration.gemm_efficiency}, lists as JSON.
     */
    private static Lines fields(Object spec) {
        Lines lines = new Lines();
        addFields(ConfigMapper.json().valueToTree(spec), "", lines);
        return lines;
    }

    private static void addFields(JsonNode object, String prefix, Lines lines) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            String key = prefix + field.getKey();
            if (value.isNull()) {
                continue;
            }
            if (value.isObject()) {
                addFields(value, key + ".", lines);
            } else {
                String text = value.isNumber() ? plain(value.asDouble()) : value.isValueNode() ? value.asText() : value.toString();
                lines.add(key, text, "");
            }
        }
    }

    /**
     * The entries named {@code name} ignoring case as a catalog file ({@code {"models": [...], "gpus": [...]}}) without
     * absent fields: save it, edit it, and pass it as {@code --catalog} or {@code deployment.catalog}.
     */
    public static Optional<String> renderJson(Catalog catalog, String name) {
        Optional<ModelSpec> model = catalog.models().find(name);
        Optional<GpuSpec> gpu = catalog.gpus().find(name);
        if (model.isEmpty() && gpu.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode file = ConfigMapper.json().createObjectNode();
        model.ifPresent(m -> file.putArray("models").add(ConfigMapper.treeWithoutNulls(m)));
        gpu.ifPresent(g -> file.putArray("gpus").add(ConfigMapper.treeWithoutNulls(g)));
        try {
            return Optional.of(ConfigMapper.json().writeValueAsString(file) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number as short as it reads: {@code 989}, {@code 79.6}, {@code 0.55}. */
    static String plain(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Key, value and an optional explanation, aligned in three columns. */
    private static final class Lines {
        private final List<String[]> lines = new ArrayList<>();

        Lines add(String key, String value, String explanation) {
            lines.add(new String[] {key, value, explanation});
            return this;
        }

        String render(String indent) {
            int keyWidth = 0;
            int valueWidth = 0;
            for (String[] line : lines) {
                keyWidth = Math.max(keyWidth, line[0].length());
                valueWidth = Math.max(valueWidth, line[1].length());
            }
            StringBuilder sb = new StringBuilder();
            for (String[] line : lines) {
                String text = indent + line[0] + " ".repeat(keyWidth - line[0].length() + 2) + line[1];
                if (!line[2].isEmpty()) {
                    text += " ".repeat(valueWidth - line[1].length() + 2) + line[2];
                }
                sb.append(text).append('\n');
            }
            return sb.toString();
        }
    }
}
