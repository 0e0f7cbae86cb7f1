package io.servesim.experiments.calibration;

import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readers for per-operator kernel tables in LLMServingSim's profile format (vLLM kernels timed one at a time):
 * {@code layers.csv} (one transformer layer's operators at 1 … 2,048 tokens, no cached context) and
 * {@code attention.csv} (attention kernels: prefill chunks after a cached context, decode batches over a KV total).
 *
 * <p>A layer table becomes five kinds of rows per token count N: the GEMMs (q, k, v, o, gate, up, down: seven kernels),
 * the prefill attention of one N-token sequence, the element-wise kernels (two norms, rotary, activation), the LM head
 * over N tokens, and the whole {@code iteration} (L layers plus embedding, final norm and LM head), which is what the
 * reported per-iteration error compares.
 *
 * <p>A mixture-of-experts table (Mixtral's: operators {@code gate}, {@code expert.w1}, {@code expert.w3},
 * {@code expert.w2}, and no {@code attn}) is read when the model has experts. LLMServingSim's profiler runs the router
 * and then <em>one</em> expert, unsharded, over all N tokens, so each row is compared with the model's terms for that
 * same work (docs/calibration.md): phases {@code moe layer} (every operator of a layer: the headline),
 * {@code moe dense gemm} (q, k, v, o at TP t), {@code moe router} ({@code gate}), {@code moe expert gemm} (w1, w3, w2 of
 * one expert over N tokens at expert-TP 1), {@code moe element-wise} (norms and rotary at TP t, the activation of one
 * expert) and {@code moe lm head}.
 */
public final class KernelTables {
    /** GEMM kernels of a layer in the tables: q, k, v, o, gate, up, down timed separately. */
    static final int TABLE_GEMM_KERNELS = 7;
    private static final List<String> GEMMS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");
    private static final List<String> ELEMENTWISE = List.of("input_layernorm", "post_layernorm", "rope", "act_fn");
    private static final List<String> PER_ITERATION = List.of("embedding", "final_layernorm", "lm_head");
    /** Attention GEMM kernels of a layer in the tables: q, k, v, o. */
    static final int TABLE_ATTENTION_GEMM_KERNELS = 4;
    /** Expert GEMM kernels of a mixture-of-experts table: w1, w3, w2 of one expert. */
    static final int TABLE_EXPERT_GEMM_KERNELS = 3;
    private static final List<String> ATTENTION_GEMMS = List.of("q_proj", "k_proj", "v_proj", "o_proj");
    private static final List<String> EXPERT_GEMMS = List.of("expert.w1", "expert.w3", "expert.w2");
    private static final List<String> ROUTER = List.of("gate");
    private static final List<String> MOE_LAYER = List.of("input_layernorm", "q_proj", "k_proj", "v_proj", "rope",
            "o_proj", "post_layernorm", "gate", "expert.w1", "expert.w3", "act_fn", "expert.w2");

    private KernelTables() {
    }

    /** The rows of a {@code layers.csv} of {@code model} at TP {@code tp}. */
    public static List<MeasuredRow> layers(String table, Reader csv, ModelSpec model, int tp) throws IOException {
        Map<Integer, Map<String, Double>> byTokens = new TreeMap<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(csv)) {
            int tokens = Integer.parseInt(r.get("input"));
            if (Integer.parseInt(r.get("kv_cache")) != 0) {
                continue;
            }
            int tableTp = Integer.parseInt(r.get("tp_size"));
            if (tableTp != tp) {
                throw new IllegalArgumentException(table + ": tp_size " + tableTp + " but the table was given as TP " + tp);
            }
            byTokens.computeIfAbsent(tokens, n -> new TreeMap<>())
                    .merge(r.get("layer_name"), Double.parseDouble(r.get("latency(ns)")) * 1e-9, Double::sum);
        }
        if (model.hasExperts()) {
            return moeLayers(table, byTokens, model, tp);
        }
        ReplicaSetupKey setup = new ReplicaSetupKey(model, tp, false);
        int layers = model.layers();
        List<MeasuredRow> rows = new ArrayList<>();
        byTokens.forEach((tokens, ops) -> {
            String shape = "tokens " + tokens;
            double gemm = sum(ops, GEMMS);
            double elementwise = sum(ops, ELEMENTWISE);
            double attention = ops.getOrDefault("attn", Double.NaN);
            double lmHead = ops.getOrDefault("lm_head", Double.NaN);
            double pairs = tokens * (tokens + 1) / 2.0;
            rows.add(new MeasuredRow(table, "gemm", shape, setup, gemm, m -> tableGemm(m, tokens)));
            rows.add(new MeasuredRow(table, "prefill attention", shape, setup, attention,
                    m -> m.attention().prefillSeconds(tokens, pairs, 0, 1)));
            rows.add(new MeasuredRow(table, "element-wise", shape, setup, elementwise, m -> m.elementwiseSeconds(tokens, false)));
            rows.add(new MeasuredRow(table, "lm head", shape, setup, lmHead, m -> m.lmHeadSeconds(tokens, false)));
            double iteration = layers * (gemm + elementwise + attention) + sum(ops, PER_ITERATION);
            rows.add(new MeasuredRow(table, "iteration", shape, setup, iteration, m -> layers * (tableGemm(m, tokens)
                    + m.attention().prefillSeconds(tokens, pairs, 0, 1) + m.elementwiseSeconds(tokens, false))
                    + m.lmHeadSeconds(tokens, false)));
        });
        return rows;
    }

    /**
     * The rows of a mixture-of-experts layer table. The setup has expert parallelism tp (so every expert is whole on a
     * GPU, as the profiler ran it) and attention split over tp.
     */
    private static List<MeasuredRow> moeLayers(String table, Map<Integer, Map<String, Double>> byTokens,
                                               ModelSpec model, int tp) {
        ReplicaSetupKey setup = new ReplicaSetupKey(model, tp, tp, false);
        List<MeasuredRow> rows = new ArrayList<>();
        byTokens.forEach((tokens, ops) -> {
            String shape = "tokens " + tokens;
            rows.add(new MeasuredRow(table, "moe layer", shape, setup, sum(ops, MOE_LAYER), m -> tableAttentionGemm(m, tokens)
                    + m.experts().routingSeconds(tokens, false) + tableExpertGemm(m, tokens) + tableElementwise(m, tokens)));
            rows.add(new MeasuredRow(table, "moe dense gemm", shape, setup, sum(ops, ATTENTION_GEMMS),
                    m -> tableAttentionGemm(m, tokens)));
            rows.add(new MeasuredRow(table, "moe router", shape, setup, sum(ops, ROUTER),
                    m -> m.experts().routingSeconds(tokens, false)));
            rows.add(new MeasuredRow(table, "moe expert gemm", shape, setup, sum(ops, EXPERT_GEMMS),
                    m -> tableExpertGemm(m, tokens)));
            rows.add(new MeasuredRow(table, "moe element-wise", shape, setup, sum(ops, ELEMENTWISE),
                    m -> tableElementwise(m, tokens)));
            rows.add(new MeasuredRow(table, "moe lm head", shape, setup, ops.getOrDefault("lm_head", Double.NaN),
                    m -> m.lmHeadSeconds(tokens, false)));
        });
        return rows;
    }

    /** The attention's GEMMs as the tables time them: q, k, v, o, each with its floor. */
    private static double tableAttentionGemm(RooflineStepTimeModel m, long tokens) {
        return Math.max(m.layerGemms().computeSeconds(tokens), m.layerGemms().weightReadSeconds())
                + TABLE_ATTENTION_GEMM_KERNELS * m.layerGemms().kernelFloorSeconds();
    }

    /** One whole expert over all N tokens, as the profiler runs it: w1, w3, w2, each with its floor. */
    private static double tableExpertGemm(RooflineStepTimeModel m, long tokens) {
        return m.experts().expertGemmSeconds(1, tokens, TABLE_EXPERT_GEMM_KERNELS, false);
    }

    /** Norms and rotary over N tokens, and one expert's activation over N tokens. */
    private static double tableElementwise(RooflineStepTimeModel m, long tokens) {
        return m.elementwiseSeconds(tokens, false) + m.experts().expertActivationSeconds(tokens);
    }

    /** A layer's GEMMs as the tables time them: seven kernels, each with its floor. */
    private static double tableGemm(RooflineStepTimeModel m, long tokens) {
        return Math.max(m.layerGemms().computeSeconds(tokens), m.layerGemms().weightReadSeconds())
                + TABLE_GEMM_KERNELS * m.layerGemms().kernelFloorSeconds();
    }

    /**
     * The rows of an {@code attention.csv}: decode rows (B sequences over a KV total of X tokens; rows with fewer KV
     * tokens than sequences are not real batches and are skipped) and prefill rows (one chunk of c tokens whose KV,
     * chunk included, totals X, so the cached context is X − c). {@code shape} makes a model of the table's attention
     * shape (hidden size, heads, KV heads, from the table's columns).
     */
    public static List<MeasuredRow> attention(String table, Reader csv, AttentionShape shape) throws IOException {
        List<MeasuredRow> rows = new ArrayList<>();
        ReplicaSetupKey setup = null;
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(csv)) {
            if (setup == null) {
                setup = new ReplicaSetupKey(shape.model(Integer.parseInt(r.get("n_embd")),
                        Integer.parseInt(r.get("n_q_head")), Integer.parseInt(r.get("n_kv_head"))),
                        Integer.parseInt(r.get("num_tensor_parallel_workers")), false);
            }
            int kv = Integer.parseInt(r.get("kv_cache_size"));
            if (Boolean.parseBoolean(r.get("is_prefill"))) {
                int chunk = Integer.parseInt(r.get("prefill_chunk_size"));
                int cached = kv - chunk;
                if (cached < 0) {
                    continue;
                }
                double pairs = chunk * (cached + (chunk + 1) / 2.0);
                double seconds = Double.parseDouble(r.get("time_stats.attn_prefill.median")) * 1e-3;
                rows.add(new MeasuredRow(table, "prefill attention", "chunk " + chunk + ", cached " + cached, setup, seconds,
                        m -> m.attention().prefillSeconds(chunk, pairs, cached, 1)));
            } else {
                int batch = Integer.parseInt(r.get("batch_size"));
                if (kv < batch) {
                    continue;
                }
                double seconds = Double.parseDouble(r.get("time_stats.attn_decode.median")) * 1e-3;
                rows.add(new MeasuredRow(table, "decode attention", "batch " + batch + ", kv " + kv, setup, seconds,
                        m -> m.attention().decodeSeconds(batch, kv, 1)));
            }
        }
        return rows;
    }

    /** Makes a model with a given attention shape. */
    @FunctionalInterface
    public interface AttentionShape {
        ModelSpec model(int hidden, int heads, int kvHeads);
    }

    /**
     * The operators {@code names} of {@code ops} added in the order given (a fixed order, so the same table gives the
     * same bits on every run); NaN when one is missing.
     */
    private static double sum(Map<String, Double> ops, List<String> names) {
        double total = 0;
        for (String name : names) {
            Double seconds = ops.get(name);
            if (seconds == null) {
                return Double.NaN;
            }
            total += seconds;
        }
        return total;
    }
}
