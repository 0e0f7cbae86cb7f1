package io.servesim.core.memory;

import io.servesim.core.config.ConfigException;

import java.util.Locale;

/**
 * Whether a model's weights fit on the GPUs of a replica, and if so how large its paged KV cache is.
 * Both outcomes carry the per-GPU memory arithmetic (GiB = 2³⁰ bytes) so that a report can show it.
 */
public sealed interface MemoryFit permits MemoryFit.Fits, MemoryFit.DoesNotFit {

    /** The arithmetic, e.g. {@code "weights 12.55 GiB per GPU + activation reserve 2.00 GiB vs 72.00 GiB usable"}. */
    String describe();

    /** The KV cache of a replica when the weights fit; otherwise a {@link ConfigException} with the arithmetic. */
    Fits orThrow();

    /**
     * The weights fit.
     *
     * @param usableGiBPerGpu         GPU memory · gpuMemoryUtilization
     * @param weightsGiBPerGpu        weights on the most loaded GPU of the replica
     * @param activationReserveGiB    memory kept for activations and runtime buffers
     * @param kvCacheGiBPerGpu        what remains for the KV cache
     * @param kvBytesPerTokenPerGpu   KV bytes one token takes on that GPU
     * @param blocks                  KV blocks of {@link KvCacheSizing#BLOCK_TOKENS} tokens per replica
     */
    record Fits(double usableGiBPerGpu, double weightsGiBPerGpu, double activationReserveGiB,
                double kvCacheGiBPerGpu, double kvBytesPerTokenPerGpu, long blocks) implements MemoryFit {

        /** Tokens the replica's KV cache holds: blocks · 16. */
        public long tokens() {
            return blocks * KvCacheSizing.BLOCK_TOKENS;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT,
                    "usable %.2f GiB per GPU − weights %.2f GiB − activation reserve %.2f GiB = KV cache %.2f GiB"
                            + " = %d blocks of %d tokens (%.0f KV bytes per token per GPU)",
                    usableGiBPerGpu, weightsGiBPerGpu, activationReserveGiB, kvCacheGiBPerGpu, blocks,
                    KvCacheSizing.BLOCK_TOKENS, kvBytesPerTokenPerGpu);
        }

        @Override
        public Fits orThrow() {
            return this;
        }
    }

    /**
     * The weights (plus the activation reserve and at least one KV block) exceed the usable memory of a GPU.
     *
     * @param modelName            the model
     * @param gpuName              the GPU type
     * @param usableGiBPerGpu      GPU memory · gpuMemoryUtilization
     * @param weightsGiBPerGpu     weights on the most loaded GPU of the replica
     * @param activationReserveGiB memory kept for activations and runtime buffers
     */
    record DoesNotFit(String modelName, String gpuName, double usableGiBPerGpu, double weightsGiBPerGpu,
                      double activationReserveGiB) implements MemoryFit {

        @Override
        public String describe() {
            return String.format(Locale.ROOT,
                    "%s does not fit on %s: weights %.2f GiB per GPU + activation reserve %.2f GiB leave no room"
                            + " for a KV block in the usable %.2f GiB per GPU; raise tp or pp or use a larger GPU",
                    modelName, gpuName, weightsGiBPerGpu, activationReserveGiB, usableGiBPerGpu);
        }

        @Override
        public Fits orThrow() {
            throw new ConfigException("deployment: " + describe());
        }
    }
}
