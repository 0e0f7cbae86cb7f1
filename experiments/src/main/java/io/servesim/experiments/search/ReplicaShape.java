package io.servesim.experiments.search;

import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.EngineConfig;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.SchedulerSpec;

import java.util.Map;

/**
 * Everything of a search candidate but its replica count: the GPU type, the parallel layout of one replica, its
 * batching policy and the engine's batch limits. Candidates of one shape differ only in their replicas.
 *
 * @param gpu            catalog name of the GPU type
 * @param tp             tensor-parallel degree
 * @param pp             pipeline-parallel degree
 * @param ep             expert-parallel degree (1 for a dense model)
 * @param scheduler      registry name of the batching policy, with its defaults
 * @param limit          max_num_seqs and max_num_batched_tokens
 * @param chunkedPrefill whether prompts are split across iterations
 */
public record ReplicaShape(String gpu, int tp, int pp, int ep, String scheduler, BatchLimit limit,
                           boolean chunkedPrefill) {

    /** A stable id: letters, digits, {@code _ - .} only, e.g. {@code H100-SXM.tp4.pp1.ep1.continuous.s256.t8192.chunked}. */
    public String id() {
        return gpu + ".tp" + tp + ".pp" + pp + ".ep" + ep + "." + scheduler + ".s" + limit.maxNumSeqs()
                + ".t" + limit.maxNumBatchedTokens() + (chunkedPrefill ? ".chunked" : ".whole");
    }

    /** The id of the candidate with {@code replicas} replicas of this shape. */
    public String candidateId(int replicas) {
        return id() + ".r" + replicas;
    }

    /** GPUs of one replica: tp · pp. */
    public int gpusPerReplica() {
        return tp * pp;
    }

    /** The batching policy with its defaults. */
    public SchedulerSpec schedulerSpec() {
        return ConfigMapper.convert(ConfigMapper.json().valueToTree(Map.of("type", scheduler)), SchedulerSpec.class,
                "schedulers");
    }

    /** {@code base} deployed as this shape with {@code replicas} replicas (everything else as in {@code base}). */
    public Scenario scenario(Scenario base, int replicas) {
        EngineConfig e = base.engine();
        EngineConfig engine = new EngineConfig(limit.maxNumSeqs(), limit.maxNumBatchedTokens(), chunkedPrefill,
                e.prefillChunkTokens(), e.maxQueueLength(), e.queueTimeoutSeconds(), e.horizonSeconds(), e.fastForward(),
                e.prefixCaching(), e.mixedBatches());
        return base.withDeployment(base.deployment().withModelAndGpu(base.deployment().model(), gpu)
                        .withParallelism(tp, pp, replicas).withExpertParallelism(ep))
                .withEngine(engine)
                .withScheduling(new SchedulerChoice(schedulerSpec(), base.scheduling().router()));
    }
}
