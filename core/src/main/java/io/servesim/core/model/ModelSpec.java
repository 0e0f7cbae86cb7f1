package io.servesim.core.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.servesim.core.config.ConfigException;

/**
 * A decoder-only transformer of the catalog — dense, or with a mixture-of-experts MLP ({@code moe}) and possibly
 * multi-head latent attention ({@code mla}) — with the quantities the step-time and memory models derive from it.
 * Parameter counts ignore norms and biases (under 0.1 % of any catalog model).
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
 * @param moe              the mixture-of-experts MLP; absent for a dense model
 * @param mla              multi-head latent attention; absent for grouped-query (or multi-head) attention
 */
public record ModelSpec(String name, int layers, int hidden, int heads, int kvHeads, Integer headDim, int ffnHidden,
                        int vocab, int maxContextTokens, double bytesPerParam, Double kvBytesPerElement,
                        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean gatedMlp,
                        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean tiedEmbeddings, String source, String note,
                        MixtureOfExperts moe, LatentAttention mla) {

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
        ConfigException.require(moe == null || moe.denseLayers() < layers, "moe.dense_layers",
                "must be < layers (" + layers + ")", moe == null ? null : moe.denseLayers());
    }

    /** Whether the MLP is a mixture of experts. */
    public boolean hasExperts() {
        return moe != null;
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
     * Weights of one layer's attention: Q and O (hidden · heads · headDim each) and K and V (hidden · kvHeads · headDim
     * each); with latent attention, {@link LatentAttention#params}.
     */
    public long attentionParams() {
        return mla != null ? mla.params(hidden, heads) : 2L * hidden * queryWidth() + 2L * hidden * kvWidth();
    }

    /** Matrices of an MLP (or of one expert): 3 for SwiGLU (gate, up, down), 2 for GPT-style (up, down). */
    public int mlpMatrices() {
        return gatedMlp ? 3 : 2;
    }

    /** Weights of a dense layer's MLP: mlpMatrices · hidden · ffnHidden. */
    public long mlpParams() {
        return (long) mlpMatrices() * hidden * ffnHidden;
    }

    /** Weights of one expert, mlpMatrices · hidden · expertFfnHidden; 0 for a dense model. */
    public long expertParams() {
        return moe == null ? 0 : (long) mlpMatrices() * hidden * moe.expertFfnHidden();
    }

    /** Weights of an MoE layer's router, hidden · experts; 0 for a dense model. */
    public long routerParams() {
        return moe == null ? 0 : (long) hidden * moe.experts();
    }

    /** Weights of a layer with a dense MLP: attention + MLP. */
    public long denseLayerParams() {
        return attentionParams() + mlpParams();
    }

    /**
     * Weights of one layer of the model's kind: a dense layer (attention + MLP), or for a mixture of experts one MoE
     * layer with all its experts: attention + router + (experts + sharedExperts) · expertParams.
     */
    public long paramsPerLayer() {
        return moe == null ? denseLayerParams()
                : attentionParams() + routerParams() + (long) (moe.experts() + moe.sharedExperts()) * expertParams();
    }

    /**
     * Weights of a layer that every token passes and tensor parallelism splits: all of a dense model's layer; the
     * attention and shared experts of an MoE layer (not its router or routed experts).
     */
    public long denseParamsPerLayer() {
        return moe == null ? denseLayerParams() : attentionParams() + (long) moe.sharedExperts() * expertParams();
    }

    /** Weights one token passes through in a layer of the model's kind: all of them, or k + shared experts of an MoE layer. */
    public long activeParamsPerLayer() {
        return moe == null ? denseLayerParams()
                : attentionParams() + routerParams() + (long) (moe.expertsPerToken() + moe.sharedExperts()) * expertParams();
    }

    /** Layers with experts: layers − moe.dense_layers, 0 for a dense model. */
    public int moeLayers() {
        return moe == null ? 0 : layers - moe.denseLayers();
    }

    /** Layers with a dense MLP: all of a dense model, moe.dense_layers of a mixture of experts. */
    public int denseLayers() {
        return layers - moeLayers();
    }

    /** Weights of the vocabulary projection (LM head); the input embedding has the same size. */
    public long vocabParams() {
        return (long) vocab * hidden;
    }

    /** Vocabulary matrices stored: 1 when the LM head is tied to the input embedding, else 2. */
    public int vocabMatrices() {
        return tiedEmbeddings ? 1 : 2;
    }

    /**
     * All weights: denseLayers · denseLayerParams + moeLayers · paramsPerLayer + vocabMatrices · vocabParams (input
     * embedding and LM head); layers · paramsPerLayer + vocabMatrices · vocabParams for a dense model.
     */
    public long totalParams() {
        return denseLayers() * denseLayerParams() + moeLayers() * paramsPerLayer() + vocabMatrices() * vocabParams();
    }

    /** Weights one token passes through: totalParams with only k + shared experts of every MoE layer. */
    public long activeParams() {
        return denseLayers() * denseLayerParams() + moeLayers() * activeParamsPerLayer() + vocabMatrices() * vocabParams();
    }

    /** Bytes of all weights: totalParams · bytesPerParam. */
    public double weightBytes() {
        return totalParams() * bytesPerParam;
    }

    /**
     * KV-cache elements of one token in one layer: 2 · kvHeads · headDim (K and V), or the latent and rotary key
     * c + r of latent attention.
     */
    public long kvElementsPerTokenPerLayer() {
        return mla != null ? mla.cachedElementsPerToken() : 2L * kvWidth();
    }

    /** KV-cache bytes of one token over all layers: layers · kvElementsPerTokenPerLayer · kvBytesPerElement. */
    public double kvBytesPerToken() {
        return (double) layers * kvElementsPerTokenPerLayer() * kvBytesPerElement;
    }

    /**
     * Whether tensor parallelism splits the KV cache (each GPU holds its KV heads); a latent is not split by heads, so
     * every GPU of a TP group holds all of it.
     */
    public boolean kvCacheSplitByTensorParallel() {
        return mla == null;
    }

    /** The first layer of pipeline stage {@code stage} of {@code stages}: s · ⌊L/p⌋ + min(s, L mod p). */
    public int stageFirstLayer(int stages, int stage) {
        return stage * (layers / stages) + Math.min(stage, layers % stages);
    }

    /** Layers of pipeline stage {@code stage} of {@code stages}: ⌊L/p⌋, one more on each of the first L mod p. */
    public int stageLayers(int stages, int stage) {
        return layers / stages + (stage < layers % stages ? 1 : 0);
    }

    /**
     * Checks that a replica of TP degree {@code tensorParallel}, PP degree {@code pipelineStages} and
     * {@code expertParallel} expert-parallel ranks can split this model: t divides the heads and KV heads, p is at most
     * the layers, and n (1 for a dense model) divides t and the experts.
     */
    public void requireLayout(int tensorParallel, int pipelineStages, int expertParallel) {
        if (expertParallel != 1 && (!hasExperts() || tensorParallel % expertParallel != 0
                || moe().experts() % expertParallel != 0)) {
            throw new IllegalArgumentException("expert-parallel degree " + expertParallel + " needs experts and must"
                    + " divide the TP degree " + tensorParallel + " and the experts");
        }
        if (tensorParallel < 1 || heads() % tensorParallel != 0 || kvHeads() % tensorParallel != 0) {
            throw new IllegalArgumentException("tensor-parallel degree " + tensorParallel
                    + " must divide heads " + heads() + " and KV heads " + kvHeads());
        }
        if (pipelineStages < 1 || pipelineStages > layers()) {
            throw new IllegalArgumentException("pipeline stages " + pipelineStages
                    + " must be in [1, " + layers() + "]");
        }
    }

    /** MoE layers of pipeline stage {@code stage} of {@code stages} (the dense layers come first, on the first stages). */
    public int stageMoeLayers(int stages, int stage) {
        int first = stageFirstLayer(stages, stage);
        int end = first + stageLayers(stages, stage);
        return end - Math.max(first, Math.min(end, denseLayers()));
    }

    /**
     * Weight bytes of pipeline stage {@code stage} of {@code stages}: (dense_s · denseLayerParams + moe_s ·
     * paramsPerLayer + m · vocabParams) · bytesPerParam, where the stage holds dense_s + moe_s = L_s layers
     * ({@link #stageLayers}) and m counts the vocabulary matrices it holds: the input embedding on
     * the first stage and the LM head on the last (m = 2 when one stage holds both, 1 if it holds both and they are
     * tied, 0 for a middle stage). With tied embeddings and more than one stage, the first and the last stage each
     * keep a copy, as vLLM does.
     */
    public double stageWeightBytes(int stages, int stage) {
        int stageLayers = stageLayers(stages, stage);
        int moeLayers = stageMoeLayers(stages, stage);
        int held = (stage == 0 ? 1 : 0) + (stage == stages - 1 ? 1 : 0);
        int stored = tiedEmbeddings ? Math.min(held, 1) : held;
        double params = (stageLayers - moeLayers) * (double) denseLayerParams() + moeLayers * (double) paramsPerLayer();
        return (params + stored * vocabParams()) * bytesPerParam;
    }

    /** KV-cache bytes of one token on pipeline stage {@code stage} of {@code stages}: kvBytesPerToken · L_s / L. */
    public double stageKvBytesPerToken(int stages, int stage) {
        return kvBytesPerToken() * stageLayers(stages, stage) / layers;
    }

    /**
     * KV-cache bytes of one token on one GPU of stage {@code stage} with TP degree {@code tp}: the stage's bytes / tp,
     * or all of them for latent attention ({@link #kvCacheSplitByTensorParallel}).
     */
    public double kvBytesPerTokenPerGpu(int stages, int stage, int tp) {
        return stageKvBytesPerToken(stages, stage) / (kvCacheSplitByTensorParallel() ? tp : 1);
    }

    /** The same model served with {@code weightBytes} bytes per weight and {@code kvBytes} per KV-cache element. */
    public ModelSpec withPrecision(double weightBytes, double kvBytes) {
        return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, ffnHidden, vocab, maxContextTokens,
                weightBytes, kvBytes, gatedMlp, tiedEmbeddings, source, note, moe, mla);
    }

    /** The same model with expert routing skew {@code skew} ({@link MixtureOfExperts#routingSkew}); needs experts. */
    public ModelSpec withRoutingSkew(double skew) {
        ConfigException.require(moe != null, "routing_skew", "needs a mixture-of-experts model; " + name + " is dense",
                skew);
        return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, ffnHidden, vocab, maxContextTokens,
                bytesPerParam, kvBytesPerElement, gatedMlp, tiedEmbeddings, source, note, moe.withRoutingSkew(skew), mla);
    }
}
