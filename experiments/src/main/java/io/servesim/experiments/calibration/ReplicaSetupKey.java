package io.servesim.experiments.calibration;

import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.TransferCost;

/**
 * The replica a measurement ran on, without its GPU coefficients: a model on {@code tp} GPUs, with or without the
 * tensor-parallel all-reduces. Per-operator tables time one GPU's kernels (no communication) as their profiler ran
 * them — FlashAttention reading the KV once per query head, and one eager kernel per norm and rotary operation, so
 * their setups use r = 0 and ψ = 1 whatever grouped-query packing and kernel fusion the GPU's serving engine has;
 * whole iterations include the all-reduces of the default topology for that GPU.
 *
 * @param model          the model
 * @param tp             tensor-parallel degree
 * @param expertParallel expert-parallel degree (1, or for a mixture of experts a divisor of tp: experts split over
 *                       tp/expertParallel GPUs each)
 * @param withAllReduces whether the measured times include the all-reduces
 * @param engine         the serving engine's coefficients of the measured runs (host overheads, CUDA-graph floor,
 *                       grouped-query packing, element-wise fusion), taken from another catalog GPU that the same
 *                       engine's runs were fitted on; null = those of the GPU the setup is evaluated on
 */
public record ReplicaSetupKey(ModelSpec model, int tp, int expertParallel, boolean withAllReduces,
                              GpuCalibration engine) {

    /** A setup without expert parallelism, with the engine of the GPU it is evaluated on. */
    public ReplicaSetupKey(ModelSpec model, int tp, boolean withAllReduces) {
        this(model, tp, 1, withAllReduces, null);
    }

    /** A setup with the engine of the GPU it is evaluated on. */
    public ReplicaSetupKey(ModelSpec model, int tp, int expertParallel, boolean withAllReduces) {
        this(model, tp, expertParallel, withAllReduces, null);
    }

    /** The same setup run by the serving engine whose coefficients {@code engineCalibration} holds. */
    public ReplicaSetupKey withEngine(GpuCalibration engineCalibration) {
        return new ReplicaSetupKey(model, tp, expertParallel, withAllReduces, engineCalibration);
    }

    /** The step-time model of this setup on {@code gpu}. */
    public RooflineStepTimeModel stepTimeModel(GpuSpec gpu) {
        GpuSpec run = engine == null ? gpu
                : gpu.withCalibration(CalibrationParameter.withEngineOf(gpu.calibration(), engine));
        if (!withAllReduces) {
            return new RooflineStepTimeModel(model, profiledKernels(run), tp, 1, expertParallel, TransferCost.NONE,
                    TransferCost.NONE, TransferCost.NONE, TransferCost.NONE);
        }
        if (tp == 1) {
            return new RooflineStepTimeModel(model, run, tp, 1, expertParallel, TransferCost.NONE, TransferCost.NONE,
                    TransferCost.NONE, TransferCost.NONE);
        }
        return Deployment.of(model, run, tp, 1, expertParallel, 1, TopologySpec.defaults().build(tp, run))
                .stepTimeModel(0);
    }

    /**
     * {@code gpu} with decode attention reading the KV per query head (r = 0) and unfused norms and rotary (ψ = 1), as
     * the profiled kernels do.
     */
    private static GpuSpec profiledKernels(GpuSpec gpu) {
        double[] v = CalibrationParameter.vector(gpu.calibration());
        v[CalibrationParameter.DECODE_ATTENTION_GQA_REUSE.ordinal()] = 0;
        v[CalibrationParameter.ELEMENTWISE_FUSION.ordinal()] = 1;
        return gpu.withCalibration(CalibrationParameter.calibration(gpu.calibration(), gpu.calibration().source(), v));
    }
}
