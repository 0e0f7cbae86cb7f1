package io.servesim.experiments.calibration;

import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.TransferCost;

/**
 * The replica a measurement ran on, without its GPU coefficients: a model on {@code tp} GPUs, with or without the
 * tensor-parallel all-reduces. Per-operator tables time one GPU's kernels (no communication); whole iterations include
 * the all-reduces of the default topology for that GPU.
 *
 * @param model          the model
 * @param tp             tensor-parallel degree
 * @param expertParallel expert-parallel degree (1, or for a mixture of experts a divisor of tp: experts split over
 *                       tp/expertParallel GPUs each)
 * @param withAllReduces whether the measured times include the all-reduces
 */
public record ReplicaSetupKey(ModelSpec model, int tp, int expertParallel, boolean withAllReduces) {

    /** A setup without expert parallelism. */
    public ReplicaSetupKey(ModelSpec model, int tp, boolean withAllReduces) {
        this(model, tp, 1, withAllReduces);
    }

    /** The step-time model of this setup on {@code gpu}. */
    public RooflineStepTimeModel stepTimeModel(GpuSpec gpu) {
        if (!withAllReduces || tp == 1) {
            return new RooflineStepTimeModel(model, gpu, tp, 1, expertParallel, TransferCost.NONE, TransferCost.NONE,
                    TransferCost.NONE, TransferCost.NONE);
        }
        return Deployment.of(model, gpu, tp, 1, expertParallel, 1, TopologySpec.defaults().build(tp, gpu))
                .stepTimeModel(0);
    }
}
