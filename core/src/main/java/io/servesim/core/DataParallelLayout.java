package io.servesim.core;

import com.google.inject.Inject;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaSetup;
import io.servesim.core.sched.BatchSchedulerFactory;

import java.util.ArrayList;
import java.util.List;

/** One engine replica per data-parallel replica, each with its own step-time model and scheduler. */
public final class DataParallelLayout implements ReplicaLayout {
    private final Deployment deployment;
    private final ReplicaConfig config;
    private final BatchSchedulerFactory schedulers;

    @Inject
    public DataParallelLayout(Deployment deployment, ReplicaConfig config, BatchSchedulerFactory schedulers) {
        this.deployment = deployment;
        this.config = config;
        this.schedulers = schedulers;
    }

    @Override
    public List<ReplicaSetup> setups() {
        List<ReplicaSetup> setups = new ArrayList<>(deployment.replicas());
        for (int r = 0; r < deployment.replicas(); r++) {
            setups.add(new ReplicaSetup(config, deployment.stepTimeModel(r), schedulers.create(r)));
        }
        return setups;
    }
}
