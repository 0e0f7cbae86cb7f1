package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;
import io.servesim.core.engine.ReplicaConfig;
import io.servesim.core.engine.ReplicaPool;
import io.servesim.core.hardware.AllReduceTimes;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.memory.KvCacheSizing;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.model.CollectiveCost;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.model.TransferCost;

import java.util.ArrayList;
import java.util.List;

/**
 * A model served by {@code replicas} data-parallel replicas, each on tp · pp GPUs of one type, placed on a topology
 * from GPU {@code firstGpu} on (0, unless the deployment is one pool of a disaggregated cluster).
 * Replica r uses the contiguous GPUs firstGpu + [r·tp·pp, (r+1)·tp·pp); inside it, stage s uses [s·tp, (s+1)·tp) of those, one
 * GPU per TP rank (see {@link #gpuIndex}). With expert parallelism ep, a stage's tp GPUs also form ep expert ranks of
 * tp/ep consecutive GPUs; each rank holds experts/ep of every MoE layer's experts, each split over its tp/ep GPUs.
 *
 * @param model                the model
 * @param gpu                  the GPU type of every GPU
 * @param tp                   tensor-parallel degree; divides the model's heads and KV heads
 * @param pp                   pipeline-parallel degree; at most the model's layers
 * @param ep                   expert-parallel degree; 1, or for a mixture of experts a divisor of tp and of the experts
 * @param replicas             data-parallel degree (dp)
 * @param gpuMemoryUtilization fraction of GPU memory the serving engine may use, in (0, 1]
 * @param activationReserveGiB memory per GPU kept out of the KV cache for activations and buffers, GiB
 * @param topology             the cluster network; has at least firstGpu + tp · pp · replicas GPUs
 * @param firstGpu             the topology's GPU where replica 0 starts
 */
public record Deployment(ModelSpec model, GpuSpec gpu, int tp, int pp, int ep, int replicas,
                         double gpuMemoryUtilization,
                         double activationReserveGiB, Topology topology, int firstGpu) {

    public Deployment {
        ConfigException.require(model != null, "model", "must be set", null);
        ConfigException.require(gpu != null, "gpu", "must be set", null);
        ConfigException.require(topology != null, "topology", "must be set", null);
        ConfigException.require(tp >= 1, "tp", "must be >= 1", tp);
        ConfigException.require(model.heads() % tp == 0 && model.kvHeads() % tp == 0, "tp",
                "must divide the attention heads (" + model.heads() + ") and KV heads (" + model.kvHeads()
                        + ") of " + model.name(), tp);
        ConfigException.require(pp >= 1 && pp <= model.layers(), "pp",
                "must be in [1, " + model.layers() + "] (the layers of " + model.name() + ")", pp);
        ConfigException.require(ep >= 1, "ep", "must be >= 1", ep);
        ConfigException.require(ep == 1 || model.hasExperts(), "ep", "must be 1 for " + model.name()
                + ", which has no experts (expert parallelism needs a mixture-of-experts model)", ep);
        ConfigException.require(tp % ep == 0, "ep", "must divide tp (" + tp + "): the experts of a stage are spread over"
                + " ep ranks of tp/ep of its GPUs", ep);
        ConfigException.require(!model.hasExperts() || model.moe().experts() % ep == 0, "ep",
                "must divide the " + (model.hasExperts() ? model.moe().experts() : 0) + " experts of "
                        + model.name(), ep);
        ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
        ConfigException.require(firstGpu >= 0, "first_gpu", "must be >= 0", firstGpu);
        ConfigException.require(firstGpu + (long) tp * pp * replicas <= topology.gpuCount(), "replicas",
                "times tp times pp must be at most the cluster's " + (topology.gpuCount() - firstGpu) + " GPUs"
                        + (firstGpu > 0 ? " from GPU " + firstGpu : ""),
                replicas + " · " + tp + " · " + pp + " = " + (long) tp * pp * replicas);
        ConfigException.require(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1,
                "gpu_memory_utilization", "must be in (0, 1]", gpuMemoryUtilization);
        ConfigException.require(activationReserveGiB >= 0, "activation_reserve_gib", "must be >= 0", activationReserveGiB);
    }

    /** A deployment with the default GPU memory utilization (0.9) and activation reserve (2 GiB). */
    public static Deployment of(ModelSpec model, GpuSpec gpu, int tp, int pp, int replicas, Topology topology) {
        return of(model, gpu, tp, pp, 1, replicas, topology);
    }

    /** {@link #of(ModelSpec, GpuSpec, int, int, int, Topology)} with expert parallelism {@code ep}. */
    public static Deployment of(ModelSpec model, GpuSpec gpu, int tp, int pp, int ep, int replicas, Topology topology) {
        return new Deployment(model, gpu, tp, pp, ep, replicas, KvCacheSizing.DEFAULT_GPU_MEMORY_UTILIZATION,
                KvCacheSizing.DEFAULT_ACTIVATION_RESERVE_GIB, topology, 0);
    }

    /** GPUs of one replica: tp · pp. */
    public int gpusPerReplica() {
        return tp * pp;
    }

    /** GPUs used by all replicas: tp · pp · replicas. */
    public int gpusUsed() {
        return gpusPerReplica() * replicas;
    }

    /** The GPU of TP rank {@code tpRank} of stage {@code stage} of replica {@code replica}: firstGpu + r·tp·pp + s·tp + i. */
    public int gpuIndex(int replica, int stage, int tpRank) {
        if (replica < 0 || replica >= replicas || stage < 0 || stage >= pp || tpRank < 0 || tpRank >= tp) {
            throw new IndexOutOfBoundsException("replica " + replica + ", stage " + stage + ", TP rank " + tpRank
                    + " outside " + replicas + " × " + pp + " × " + tp);
        }
        return firstGpu + replica * gpusPerReplica() + stage * tp + tpRank;
    }

    /** The GPUs of replica {@code replica}, stage by stage and rank by rank. */
    public int[] replicaGpus(int replica) {
        int[] gpus = new int[gpusPerReplica()];
        for (int i = 0; i < gpus.length; i++) {
            gpus[i] = gpuIndex(replica, i / tp, i % tp);
        }
        return gpus;
    }

    /** The tensor-parallel group of a stage of a replica, in rank order. */
    public int[] stageGroup(int replica, int stage) {
        int[] group = new int[tp];
        for (int i = 0; i < tp; i++) {
            group[i] = gpuIndex(replica, stage, i);
        }
        return group;
    }

    /**
     * The expert ranks of a stage of a replica: rank j is the stage's TP ranks [j·tp/ep, (j+1)·tp/ep), in order.
     */
    public int[][] expertRanks(int replica, int stage) {
        int perRank = tp / ep;
        int[][] ranks = new int[ep][perRank];
        for (int j = 0; j < ep; j++) {
            for (int i = 0; i < perRank; i++) {
                ranks[j][i] = gpuIndex(replica, stage, j * perRank + i);
            }
        }
        return ranks;
    }

    /**
     * The step-time model of replica {@code replica}: its all-reduce cost over its stages' TP groups
     * ({@link #allReduce}), its stage transfer the slowest point-to-point route from TP rank i of stage s to TP rank i
     * of stage s+1; with expert parallelism, its all-to-all the slowest of its stages' all-to-alls between expert
     * ranks, and its expert all-reduce over one expert rank's GPUs ({@link #allReduce} again).
     */
    public RooflineStepTimeModel stepTimeModel(int replica) {
        List<int[]> stageGroups = new ArrayList<>(pp);
        List<int[]> rankGroups = new ArrayList<>();
        TransferCost transfer = TransferCost.NONE;
        TransferCost allToAll = TransferCost.NONE;
        for (int s = 0; s < pp; s++) {
            stageGroups.add(stageGroup(replica, s));
            if (ep > 1) {
                int[][] ranks = expertRanks(replica, s);
                allToAll = allToAll.slowest(Collectives.allToAll(topology, ranks));
                rankGroups.addAll(List.of(ranks));
            }
            for (int i = 0; s + 1 < pp && i < tp; i++) {
                transfer = transfer.slowest(Collectives.pointToPoint(topology,
                        gpuIndex(replica, s, i), gpuIndex(replica, s + 1, i)));
            }
        }
        return new RooflineStepTimeModel(model, gpu, tp, pp, ep, allReduce(stageGroups), transfer, allToAll,
                rankGroups.isEmpty() ? TransferCost.NONE : allReduce(rankGroups));
    }

    /**
     * One all-reduce over each of {@code groups} (GPU groups of one size), costed for the slowest: the GPU's measured
     * times ({@link GpuSpec#allReduce}) when it has them for that group size and every group's GPUs are directly linked
     * at the GPU's NVLink bandwidth (one NVSwitch node, as the measurements ran); otherwise the slowest group's ring
     * ({@link Collectives#ringAllReduce}). {@link TransferCost#NONE} for groups of one GPU.
     */
    CollectiveCost allReduce(List<int[]> groups) {
        int size = groups.get(0).length;
        AllReduceTimes measured = gpu.allReduce();
        if (size > 1 && measured != null && measured.covers(size) && groups.stream()
                .allMatch(group -> Collectives.directlyLinked(topology, group, gpu.nvlinkBandwidthGBps()))) {
            return CollectiveCost.measured(measured.points(size));
        }
        TransferCost ring = TransferCost.NONE;
        for (int[] group : groups) {
            ring = ring.slowest(Collectives.ringAllReduce(topology, group));
        }
        return ring;
    }

    /** Whether the weights fit on each replica's GPUs, and the KV cache per replica if they do. */
    public MemoryFit memoryFit() {
        return KvCacheSizing.plan(model, gpu, tp, pp, gpuMemoryUtilization, activationReserveGiB);
    }

    /** KV blocks of 16 tokens per replica; a {@link ConfigException} with the arithmetic when the weights do not fit. */
    public long kvBlocksPerReplica() {
        return memoryFit().orThrow().blocks();
    }

    /**
     * The replicas of this deployment with the serving limits {@code limits}: each one's KV blocks from the memory
     * fit and its own step-time model.
     */
    public ReplicaPool replicaPool(ReplicaConfig limits) {
        ReplicaConfig config = limits.withKvBlocks(Math.toIntExact(kvBlocksPerReplica()));
        List<StepTimeModel> models = new ArrayList<>(replicas);
        for (int r = 0; r < replicas; r++) {
            models.add(stepTimeModel(r));
        }
        return new ReplicaPool(config, models, gpu.power());
    }
}
