package io.servesim.core.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.servesim.core.config.ConfigException;

/**
 * A dense decoder-only transformer of the catalog, with the quantities the step-time and memory
 * models derive from it. Parameter counts ignore norms and biases (under 0.1 % of any catalog model).
 *
 * @param name             catalog name, e.g. {@code Llama-2-7B}
 * @param layers           transformer layers
 * @param hidden           model width h (of the residual stream, the embedding and the MLP's input)
 * @param heads            attention (query) heads
 * @param kvHeads          key/value heads (= heads without GQA)
 * @param headDim          width of one attention head, d; absent means hidden / heads (then heads must divide
 *                         hidden). Set it when heads · d ≠ hidden, as in Qwen3-32B (64 heads of 128 on a width
 *                         of 5120); never null once constructed
 * @param ffnHidden        width of the MLP's inner layer
 * @param vocab            vocabulary size
 * @param maxContextTokens longest sequence (prompt + output) the model accepts
 * @param bytesPerParam    bytes per weight (2 for FP16/BF16, 1 for FP8)
 * @param kvBytesPerElement bytes per KV-cache element; absent = bytesPerParam
 * @param gatedMlp         true for SwiGLU MLPs (gate, up and down matrices), false (the default when absent)
 *                         for GPT-style MLPs (up and down)
 * @param tiedEmbeddings   true when the LM head shares the input embedding's matrix (HF {@code tie_word_embeddings}),
 *                         so a replica that holds both stores it once; false (the default when absent) counts two
 * @param source           where the numbers come from (e.g. the Hugging Face {@code config.json}), optional
 * @param note             what the model has that ServeSim does not model (e.g. sliding-window attention), optional
 */
public record ModelSpec(String name, int layers, int hidden, int heads, int kvHeads, Integer headDim, int ffnHidden,
                        int vocab, int maxContextTokens, double bytesPerParam, Double kvBytesPerElement,
                        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean gatedMlp,
                        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean tiedEmbeddings, String source, String note) {

    public ModelSpec {
        ConfigException.require(name != null && !name.isBlank(), "name", "must be a non-empty string", name);
        ConfigException.require(layers >= 1, "layers", "must be >= 1", layers);
        ConfigException.require(heads >= 1, "heads", "must be >= 1", heads);
        if (headDim == null) {
            ConfigException.require(hidden >= 1 && hidden % heads == 0, "hidden",
                    "must be a positive multiple of heads (" + heads + ") when head_dim is absent", hidden);
            headDim = hidden / heads;
        } else {
            ConfigException.require(hidden >= 1, "hidden", "must be >= 1", hidden);
            ConfigException.require(headDim >= 1, "head_dim", "must be >= 1", headDim);
        }
        ConfigException.require(kvHeads >= 1 && heads % kvHeads == 0,
                "kv_heads", "must be >= 1 and divide heads (" + heads + ")", kvHeads);
        ConfigException.require(ffnHidden >= 1, "ffn_hidden", "must be >= 1", ffnHidden);
        ConfigException.require(vocab >= 1, "vocab", "must be >= 1", vocab);
        ConfigException.require(maxContextTokens >= 1, "max_context_tokens", "must be >= 1", maxContextTokens);
        ConfigException.require(bytesPerParam > 0, "bytes_per_param", "must be > 0", bytesPerParam);
        kvBytesPerElement = kvBytesPerElement == null ? bytesPerParam : kvBytesPerElement;
        ConfigException.require(kvBytesPerElement > 0, "kv_bytes_per_element", "must be > 0", kvBytesPerElement);
    }

    /** Width of all query heads together, heads · headDim: the output of Q and the input of O (= hidden for most models). */
    public long queryWidth() {
        return (long) heads * headDim;
    }

    /** Width of all key (or all value) heads together, kvHeads · headDim. */
    public long kvWidth() {
        return (long) kvHeads * headDim;
    }

    /**
     * Weights of one transformer layer: attention Q and O (hidden · heads · headDim each), K and V
     * (hidden · kvHeads · headDim each), and the MLP (3 or 2 matrices of hidden · ffnHidden).
     */
    public long paramsPerLayer() {
        long attention = 2L * hidden * queryWidth() + 2L * hidden * kvWidth();
        long mlp = (gatedMlp ? 3L : 2L) * hidden * ffnHidden;
        return attention + mlp;
    }

    /** Weights of the vocabulary projection (LM head); the input embedding has the same size. */
    public long vocabParams() {
        return (long) vocab * hidden;
    }

    /** Vocabulary matrices stored: 1 when the LM head is tied to the input embedding, else 2. */
    public int vocabMatrices() {
        return tiedEmbeddings ? 1 : 2;
    }

    /** All weights: layers · paramsPerLayer + vocabMatrices · vocabParams (input embedding and LM head). */
    public long totalParams() {
        return layers * paramsPerLayer() + vocabMatrices() * vocabParams();
    }

    /** Bytes of all weights: totalParams · bytesPerParam. */
    public double weightBytes() {
        return totalParams() * bytesPerParam;
    }

    /** KV-cache bytes of one token over all layers: 2 (K and V) · layers · kvHeads · headDim · kvBytesPerElement. */
    public double kvBytesPerToken() {
        return 2.0 * layers * kvWidth() * kvBytesPerElement;
    }

    /**
     * Weight bytes of pipeline stage {@code stage} of {@code stages}: (L_s · paramsPerLayer + m · vocabParams) ·
     * bytesPerParam, where L_s is the stage's layers ({@link RooflineStepTimeModel#stageLayers}) and m counts the
     * vocabulary matrices it holds: the input embedding on the first stage and the LM head on the last (m = 2 when
     * one stage holds both, 1 if it holds both and they are tied, 0 for a middle stage). With tied embeddings and
     * more than one stage, the first and the last stage each keep a copy, as vLLM does.
     */
    public double stageWeightBytes(int stages, int stage) {
        int stageLayers = RooflineStepTimeModel.stageLayers(layers, stages, stage);
        int held = (stage == 0 ? 1 : 0) + (stage == stages - 1 ? 1 : 0);
        int stored = tiedEmbeddings ? Math.min(held, 1) : held;
        return (stageLayers * (double) paramsPerLayer() + stored * vocabParams()) * bytesPerParam;
    }

    /** KV-cache bytes of one token on pipeline stage {@code stage} of {@code stages}: kvBytesPerToken · L_s / L. */
    public double stageKvBytesPerToken(int stages, int stage) {
        return kvBytesPerToken() * RooflineStepTimeModel.stageLayers(layers, stages, stage) / layers;
    }

    /** The same model served with {@code weightBytes} bytes per weight and {@code kvBytes} per KV-cache element. */
    public ModelSpec withPrecision(double weightBytes, double kvBytes) {
        return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, ffnHidden, vocab, maxContextTokens,
                weightBytes, kvBytes, gatedMlp, tiedEmbeddings, source, note);
    }
}
