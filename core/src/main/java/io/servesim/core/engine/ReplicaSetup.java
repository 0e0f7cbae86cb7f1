package io.servesim.core.engine;

import io.servesim.core.model.StepTimeModel;
import io.servesim.core.sched.BatchScheduler;

/** What one replica of a run is made of: its limits, its step-time model and its scheduler. */
public record ReplicaSetup(ReplicaConfig config, StepTimeModel model, BatchScheduler scheduler) {
}
