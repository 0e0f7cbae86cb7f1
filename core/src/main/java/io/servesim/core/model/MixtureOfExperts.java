package io.servesim.core.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.servesim.core.config.ConfigException;

/**
 * The mixture-of-experts MLP of a model (the {@code moe} block of a catalog entry): every MoE layer has a router, E
 * routed experts of which each token uses k, and optionally shared experts that every token uses. The first
 * {@code denseLayers} layers keep a dense MLP of the model's {@code ffn_hidden} (DeepSeek's
 * {@code first_k_dense_replace}). Experts are SwiGLU or GPT-style like the model's {@code gated_mlp}.
 *
 * @param experts          routed experts per MoE layer, E (HF {@code num_local_experts}, {@code num_experts},
 *                         {@code n_routed_experts})
 * @param expertsPerToken  experts each token is routed to, k (HF {@code num_experts_per_tok})
 * @param sharedExperts    experts every token passes through besides its k (HF {@code n_shared_experts}); default 0
 * @param expertFfnHidden  inner width of one expert, f_e (HF {@code moe_intermediate_size}; Mixtral's
 *                         {@code intermediate_size})
 * @param denseLayers      leading layers with a dense MLP of {@code ffn_hidden} instead of experts; default 0
 * @param routingSkew      how unevenly tokens choose experts, s ≥ 0: expert popularity ∝ rank^−s (Zipf); 0 (the
 *                         default) is uniform routing. See {@link ExpertRouting}
 */
public record MixtureOfExperts(int experts, int expertsPerToken,
                               @JsonSetter(nulls = Nulls.AS_EMPTY) int sharedExperts, int expertFfnHidden,
                               @JsonSetter(nulls = Nulls.AS_EMPTY) int denseLayers,
                               @JsonSetter(nulls = Nulls.AS_EMPTY) double routingSkew) {

    public MixtureOfExperts {
        ConfigException.require(experts >= 2, "experts", "must be >= 2", experts);
        ConfigException.require(expertsPerToken >= 1 && expertsPerToken <= experts, "experts_per_token",
                "must be in [1, experts (" + experts + ")]", expertsPerToken);
        ConfigException.require(sharedExperts >= 0, "shared_experts", "must be >= 0", sharedExperts);
        ConfigException.require(expertFfnHidden >= 1, "expert_ffn_hidden", "must be >= 1", expertFfnHidden);
        ConfigException.require(denseLayers >= 0, "dense_layers", "must be >= 0", denseLayers);
        ConfigException.require(routingSkew >= 0 && Double.isFinite(routingSkew), "routing_skew",
                "must be >= 0 (0 = uniform routing)", routingSkew);
    }

    /** The same experts with routing skew {@code skew}. */
    public MixtureOfExperts withRoutingSkew(double skew) {
        return new MixtureOfExperts(experts, expertsPerToken, sharedExperts, expertFfnHidden, denseLayers, skew);
    }
}
