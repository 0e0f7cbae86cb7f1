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
 * @param hidden           model width d
 * @param heads            attention (query) heads
 * @param kvHeads          key/value heads (= heads without GQA)
 * @param ffnHidden        width of the MLP's inner layer
 * @param vocab            vocabulary size
 * @param maxContextTokens longest sequence (prompt + output) the model accepts
 * @param bytesPerParam    bytes per weight and per KV-cache element (2 for FP16/BF16)
 * @param gatedMlp         true for SwiGLU MLPs (gate, up and down matrices), false (the default when absent)
 *                         for GPT-style MLPs (up and down)
 */
public record ModelSpec(String name, int layers, int hidden, int heads, int kvHeads, int ffnHidden, int vocab,
                        int maxContextTokens, double bytesPerParam,
                        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean gatedMlp) {

    public ModelSpec {
        ConfigException.require(name != null && !name.isBlank(), "name", "must be a non-empty string", name);
        ConfigException.require(layers >= 1, "layers", "must be >= 1", layers);
        ConfigException.require(heads >= 1, "heads", "must be >= 1", heads);
        ConfigException.require(hidden >= 1 && hidden % heads == 0,
                "hidden", "must be a positive multiple of heads (" + heads + ")", hidden);
        ConfigException.require(kvHeads >= 1 && heads % kvHeads == 0,
                "kv_heads", "must be >= 1 and divide heads (" + heads + ")", kvHeads);
        ConfigException.require(ffnHidden >= 1, "ffn_hidden", "must be >= 1", ffnHidden);
        ConfigException.require(vocab >= 1, "vocab", "must be >= 1", vocab);
        ConfigException.require(maxContextTokens >= 1, "max_context_tokens", "must be >= 1", maxContextTokens);
        ConfigException.require(bytesPerParam > 0, "bytes_per_param", "must be > 0", bytesPerParam);
    }

    /** Width of one attention head: hidden / heads. */
    public int headDim() {
        return hidden / heads;
    }

    /**
     * Weights of one transformer layer: attention Q and O (hidden² each), K and V (hidden · kvHeads · headDim each),
     * and the MLP (3 or 2 matrices of hidden · ffnHidden).
     */
    public long paramsPerLayer() {
        long attention = 2L * hidden * hidden + 2L * hidden * kvHeads * headDim();
        long mlp = (gatedMlp ? 3L : 2L) * hidden * ffnHidden;
        return attention + mlp;
    }

    /** Weights of the vocabulary projection (LM head); the input embedding has the same size. */
    public long vocabParams() {
        return (long) vocab * hidden;
    }

    /** All weights: layers · paramsPerLayer + input embedding + LM head (counted as separate matrices). */
    public long totalParams() {
        return layers * paramsPerLayer() + 2 * vocabParams();
    }

    /** Bytes of all weights: totalParams · bytesPerParam. */
    public double weightBytes() {
        return totalParams() * bytesPerParam;
    }

    /** KV-cache bytes of one token over all layers: 2 (K and V) · layers · kvHeads · headDim · bytesPerParam. */
    public double kvBytesPerToken() {
        return 2.0 * layers * kvHeads * headDim() * bytesPerParam;
    }

    /**
     * Weight bytes of pipeline stage {@code stage} of {@code stages}: (L_s · paramsPerLayer + m · vocabParams) ·
     * bytesPerParam, where L_s is the stage's layers ({@link RooflineStepTimeModel#stageLayers}) and m counts the
     * vocabulary matrices it holds: the input embedding on the first stage and the LM head on the last (m = 2 when
     * one stage holds both, 0 for a middle stage).
     */
    public double stageWeightBytes(int stages, int stage) {
        int stageLayers = RooflineStepTimeModel.stageLayers(layers, stages, stage);
        long vocabMatrices = (stage == 0 ? 1 : 0) + (stage == stages - 1 ? 1 : 0);
        return (stageLayers * (double) paramsPerLayer() + vocabMatrices * vocabParams()) * bytesPerParam;
    }

    /** KV-cache bytes of one token on pipeline stage {@code stage} of {@code stages}: kvBytesPerToken · L_s / L. */
    public double stageKvBytesPerToken(int stages, int stage) {
        return kvBytesPerToken() * RooflineStepTimeModel.stageLayers(layers, stages, stage) / layers;
    }
}
