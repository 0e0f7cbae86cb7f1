package io.servesim.core.engine;

import io.servesim.core.hardware.GpuPower;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;

import java.util.List;

/**
 * A replica that runs as one engine with one scheduler: one iteration in flight at a time. With a pipeline-parallel
 * model ({@code model.pipelineStages() > 1}) its iterations pass the stages one after the other (no overlap); use
 * {@link PipelineReplicaSetup} to keep several in flight.
 */
public record ReplicaSetup(ReplicaConfig config, StepTimeModel model, BatchScheduler scheduler, GpuPower power)
        implements ReplicaPlan {

    /** A replica whose GPUs' power is unknown. */
    public ReplicaSetup(ReplicaConfig config, StepTimeModel model, BatchScheduler scheduler) {
        this(config, model, scheduler, null);
    }

    @Override
    public int virtualEngines() {
        return 1;
    }

    @Override
    public List<BatchScheduler> schedulers(int firstEngineIndex) {
        return List.of(scheduler);
    }
}
