package io.servesim.core;

import io.servesim.core.engine.ReplicaSetup;

import java.util.List;

/**
 * How a deployment's GPUs become the replicas the engine runs. The default is one replica per
 * data-parallel replica ({@link DataParallelLayout}); other layouts (several streams sharing one
 * GPU, for instance) bind their own.
 */
public interface ReplicaLayout {
    List<ReplicaSetup> setups();
}
