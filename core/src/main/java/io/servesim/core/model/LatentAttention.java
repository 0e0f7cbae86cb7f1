package io.servesim.core.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.servesim.core.config.ConfigException;

/**
 * Multi-head latent attention (DeepSeek-V2/V3, the {@code mla} block of a catalog entry): keys and values are
 * compressed into one latent of {@code kvLoraRank} elements per token plus a shared rotary key of
 * {@code qkRopeHeadDim}; that is all the KV cache holds, for all heads at once. Query and key heads are
 * {@code qkNopeHeadDim + qkRopeHeadDim} wide, value heads {@code vHeadDim}.
 *
 * @param kvLoraRank    latent width c (HF {@code kv_lora_rank})
 * @param qLoraRank     width of the query's low-rank projection (HF {@code q_lora_rank}); 0 or absent when the query
 *                      is projected directly (DeepSeek-V2-Lite)
 * @param qkNopeHeadDim per-head query/key width without rotary embedding (HF {@code qk_nope_head_dim})
 * @param qkRopeHeadDim per-head rotary query/key width, r (HF {@code qk_rope_head_dim})
 * @param vHeadDim      per-head value width (HF {@code v_head_dim})
 */
public record LatentAttention(int kvLoraRank, @JsonSetter(nulls = Nulls.AS_EMPTY) int qLoraRank, int qkNopeHeadDim,
                              int qkRopeHeadDim, int vHeadDim) {

    public LatentAttention {
        ConfigException.require(kvLoraRank >= 1, "kv_lora_rank", "must be >= 1", kvLoraRank);
        ConfigException.require(qLoraRank >= 0, "q_lora_rank", "must be >= 0 (0 = no query compression)", qLoraRank);
        ConfigException.require(qkNopeHeadDim >= 0, "qk_nope_head_dim", "must be >= 0", qkNopeHeadDim);
        ConfigException.require(qkRopeHeadDim >= 0, "qk_rope_head_dim", "must be >= 0", qkRopeHeadDim);
        ConfigException.require(qkNopeHeadDim + qkRopeHeadDim >= 1, "qk_nope_head_dim",
                "plus qk_rope_head_dim must be >= 1", qkNopeHeadDim + qkRopeHeadDim);
        ConfigException.require(vHeadDim >= 1, "v_head_dim", "must be >= 1", vHeadDim);
    }

    /** Width of one query (and key) head: qk_nope_head_dim + qk_rope_head_dim. */
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }

    /** KV-cache elements per token and layer: the latent and the rotary key, c + r. */
    public int cachedElementsPerToken() {
        return kvLoraRank + qkRopeHeadDim;
    }

    /**
     * Weights of one layer's attention: the query (h · H·(d_nope + r), or through the rank-q_r projection
     * h · q_r + q_r · H·(d_nope + r)), the joint KV down-projection h · (c + r), its up-projection c · H·(d_nope + d_v)
     * and the output H·d_v · h.
     */
    public long params(int hidden, int heads) {
        long queryOut = (long) heads * qkHeadDim();
        long query = qLoraRank == 0 ? (long) hidden * queryOut : (long) hidden * qLoraRank + (long) qLoraRank * queryOut;
        long kvDown = (long) hidden * cachedElementsPerToken();
        long kvUp = (long) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
        long output = (long) heads * vHeadDim * hidden;
        return query + kvDown + kvUp + output;
    }
}
