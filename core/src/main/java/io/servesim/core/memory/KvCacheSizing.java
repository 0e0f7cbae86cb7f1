package io.servesim.core.memory;

import io.servesim.core.config.ConfigException;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;

/**
 * Sizes the paged KV cache of a replica of {@code model} on t · p GPUs of type {@code gpu} (see {@code docs/model.md}).
 *
 * <p>Per GPU, with the layers of the largest pipeline stage L_s = ⌈L/p⌉:
 * <pre>
 *   weightsPerGpu     = (L_s · paramsPerLayer + (p == 1 ? 2 : 1) · vocab · hidden) · bytesPerParam / t
 *   kvPerTokenPerGpu  = 2 · L_s · (kvHeads / t) · headDim · bytesPerParam      (latent attention: L_s · (c + r) · b, not split)
 *   free              = hbm · gpuMemoryUtilization − weightsPerGpu − activationReserve
 *   blocks            = ⌊free / (16 · kvPerTokenPerGpu)⌋
 * </pre>
 * The first stage is the largest and holds the input embedding, the last holds the LM head, so with p ≥ 2 the most
 * loaded GPU carries one vocabulary matrix; when p divides L and p ≤ 2 this equals weights / (t · p) and
 * kvBytesPerToken / (t · p). Every GPU of the replica stores its slice of the same tokens, so the replica holds
 * {@code blocks} blocks, not blocks times its GPUs.
 */
public final class KvCacheSizing {

    /** Tokens per KV block (vLLM's default block size). */
    public static final int BLOCK_TOKENS = 16;
    /** Default fraction of GPU memory the serving engine may use (vLLM's {@code gpu_memory_utilization}). */
    public static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
    /**
     * Default memory per GPU kept for activations of the largest batch, CUDA graphs and communication buffers, GiB:
     * the order of what vLLM's profiling run reserves for 7B–70B models at 2–8K batched tokens.
     */
    public static final double DEFAULT_ACTIVATION_RESERVE_GIB = 2.0;

    /** Bytes in a GiB (2³⁰). */
    public static final double BYTES_PER_GIB = 1024.0 * 1024.0 * 1024.0;

    private KvCacheSizing() {
    }

    /** {@link #plan(ModelSpec, GpuSpec, int, int, double, double)} with the default activation reserve. */
    public static MemoryFit plan(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages,
                                 double gpuMemoryUtilization) {
        return plan(model, gpu, tensorParallel, pipelineStages, gpuMemoryUtilization, DEFAULT_ACTIVATION_RESERVE_GIB);
    }

    /** The weights and KV cache per GPU of a replica with TP degree {@code tensorParallel} and PP degree {@code pipelineStages}. */
    public static MemoryFit plan(ModelSpec model, GpuSpec gpu, int tensorParallel, int pipelineStages,
                                 double gpuMemoryUtilization, double activationReserveGiB) {
        ConfigException.require(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1,
                "gpu_memory_utilization", "must be in (0, 1]", gpuMemoryUtilization);
        ConfigException.require(activationReserveGiB >= 0, "activation_reserve_gib", "must be >= 0", activationReserveGiB);
        double weightsPerGpu = model.stageWeightBytes(pipelineStages, 0) / tensorParallel;
        double kvPerTokenPerGpu = model.kvBytesPerTokenPerGpu(pipelineStages, 0, tensorParallel);
        double usable = gpu.hbmBytes() * gpuMemoryUtilization;
        double reserve = activationReserveGiB * BYTES_PER_GIB;
        double free = usable - weightsPerGpu - reserve;
        long blocks = free <= 0 ? 0 : (long) Math.floor(free / (BLOCK_TOKENS * kvPerTokenPerGpu));
        if (blocks == 0) {
            return new MemoryFit.DoesNotFit(model.name(), gpu.name(), usable / BYTES_PER_GIB,
                    weightsPerGpu / BYTES_PER_GIB, activationReserveGiB);
        }
        return new MemoryFit.Fits(usable / BYTES_PER_GIB, weightsPerGpu / BYTES_PER_GIB, activationReserveGiB,
                free / BYTES_PER_GIB, kvPerTokenPerGpu, blocks);
    }
}
