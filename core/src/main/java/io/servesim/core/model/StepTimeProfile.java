package io.servesim.core.model;

import io.servesim.core.config.ConfigException;

import java.util.List;

/**
 * Measured step times of one model on one GPU type at one tensor-parallel degree: the rows of a profile CSV
 * ({@link StepTimeProfileCsv}) that share {@code model}, {@code gpu} and {@code tp}.
 *
 * @param model  catalog name of the model
 * @param gpu    catalog name of the GPU type
 * @param tp     tensor-parallel degree the points were measured at
 * @param points the measured iterations, prefill and decode, in file order
 */
public record StepTimeProfile(String model, String gpu, int tp, List<Point> points) {

    public StepTimeProfile {
        ConfigException.require(model != null && !model.isBlank(), "model", "must be a non-empty name", model);
        ConfigException.require(gpu != null && !gpu.isBlank(), "gpu", "must be a non-empty name", gpu);
        ConfigException.require(tp >= 1, "tp", "must be >= 1", tp);
        points = List.copyOf(points);
        ConfigException.require(points.stream().anyMatch(Point::isPrefill), "profile " + model + "/" + gpu + "/tp" + tp,
                "needs at least one prefill row (prefill_tokens > 0)", points.size() + " rows");
        ConfigException.require(points.stream().anyMatch(p -> !p.isPrefill()), "profile " + model + "/" + gpu + "/tp" + tp,
                "needs at least one decode row (decode_batch > 0)", points.size() + " rows");
    }

    /** A label such as {@code Llama-2-7B/H100-SXM/tp1}. */
    public String label() {
        return model + "/" + gpu + "/tp" + tp;
    }

    /**
     * One measured iteration: either a prefill of {@code prefillTokens} prompt tokens after {@code contextTokens}
     * tokens already cached (0 for a whole prompt), or a decode step of {@code decodeBatch} sequences that each
     * hold {@code contextTokens} tokens in the KV cache.
     *
     * @param prefillTokens prompt tokens of a prefill iteration; 0 for a decode row
     * @param decodeBatch   sequences of a decode iteration; 0 for a prefill row
     * @param contextTokens cached tokens before the prefill chunk, or each decoding sequence's KV length
     * @param timeMs        measured duration of the iteration, milliseconds
     */
    public record Point(int prefillTokens, int decodeBatch, int contextTokens, double timeMs) {
        public Point {
            ConfigException.require(prefillTokens >= 0, "prefill_tokens", "must be >= 0", prefillTokens);
            ConfigException.require(decodeBatch >= 0, "decode_batch", "must be >= 0", decodeBatch);
            ConfigException.require((prefillTokens > 0) != (decodeBatch > 0), "prefill_tokens",
                    "or decode_batch must be > 0, not both (a row is a prefill or a decode iteration)",
                    prefillTokens + " and " + decodeBatch);
            ConfigException.require(contextTokens >= 0, "context_tokens", "must be >= 0", contextTokens);
            ConfigException.require(timeMs > 0 && Double.isFinite(timeMs), "time_ms", "must be a finite number > 0", timeMs);
        }

        public boolean isPrefill() {
            return prefillTokens > 0;
        }

        /** The iteration as the step-time models see it. */
        public BatchShape shape() {
            BatchShape shape = new BatchShape();
            return isPrefill() ? shape.addPrefillChunk(prefillTokens, contextTokens)
                    : shape.setDecode(decodeBatch, (long) decodeBatch * contextTokens);
        }
    }
}
