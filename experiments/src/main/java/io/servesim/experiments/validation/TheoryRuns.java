package io.servesim.experiments.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.engine.Simulation;
import io.servesim.core.engine.SimulationOptions;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.schedulers.ReplicaLayout;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerContext;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.schedulers.Schedulers;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.io.UncheckedIOException;

/**
 * The idealised systems of the theory checks, built from ServeSim's own parts: a workload from the workloads module,
 * a scheduler from the registry, one replica whose every iteration takes the same time τ
 * ({@link AffineStepTimeModel#constant}), and the engine.
 */
final class TheoryRuns {
    private static final Schedulers REGISTRY = Schedulers.builtIn();

    private TheoryRuns() {
    }

    /** Limits that never bind except {@code maxNumSeqs}: a huge KV cache, context window and queue, no timeout. */
    static ReplicaConfig unboundedReplica(int maxNumSeqs) {
        return new ReplicaConfig(maxNumSeqs, Math.max(maxNumSeqs, 16), false, 16, 1 << 20, 16, 1 << 24, 1 << 30,
                Double.POSITIVE_INFINITY);
    }

    /** A workload from its YAML text (a fixed, valid description of the suite). */
    static WorkloadSpec workload(String yaml) {
        try {
            JsonNode tree = ConfigMapper.yaml().readTree(yaml);
            return ConfigMapper.convert(tree, WorkloadSpec.class, "workload");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code workload} on one replica with {@code limits}, iterations of {@code iterationSeconds} each. */
    static SimulationResult run(WorkloadSpec workload, SchedulerSpec scheduler, ReplicaConfig limits,
                                double iterationSeconds, long seed) {
        WorkloadSource source = Workload.compile(workload).newSource(seed);
        ReplicaPool pool = new ReplicaPool(limits, AffineStepTimeModel.constant(iterationSeconds), 1);
        ReplicaLayout layout = REGISTRY.layout(scheduler, new RouterSpec.RoundRobin(), pool,
                SchedulerContext.of(source, seed));
        return new Simulation(layout.replicas(), layout.router(), source, SimulationOptions.DEFAULT).run();
    }
}
