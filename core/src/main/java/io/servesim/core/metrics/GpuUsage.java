package io.servesim.core.metrics;

import io.servesim.core.engine.Cluster;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.SimulationResult;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.memory.KvCacheSizing;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What one GPU did during a run. GPUs are numbered replica by replica in the order of the run's plans, stage by
 * stage, TP rank by rank: GPU = Σ GPUs of the earlier replicas + stage · tp + rank, the numbering of
 * {@code Deployment.gpuIndex} when the plans are a deployment's replicas in order. The TP ranks of a stage work in
 * lockstep, so they share their busy and communication seconds.
 *
 * <p>Busy time is compute plus communication: a stage's iterations (all-reduces included) and, on a pipeline,
 * its sends to the next stage. Memory is the stage's weights on one GPU plus its slice of the KV cache in use,
 * tokens · stage KV bytes per token / tp; it is known when the replica's step-time model is a
 * {@link RooflineStepTimeModel} (which knows the model) and NaN otherwise.
 *
 * @param gpu                      GPU index
 * @param replica                  the replica it serves (position of its plan)
 * @param stage                    its pipeline stage
 * @param tpRank                   its tensor-parallel rank in the stage
 * @param busyFraction             busy seconds / simulated horizon
 * @param computeBusySeconds       busy seconds not spent communicating
 * @param communicationBusySeconds all-reduces and stage-to-stage sends
 * @param memoryPeakGiB            weights + KV cache at the replica's peak KV usage, GiB
 * @param memoryMeanGiB            weights + KV cache at the replica's time-averaged KV usage, GiB
 * @param prefillBusySeconds       the part of the busy seconds in iterations that compute prefill tokens (on a
 *                                 pipeline: the stage's busy seconds × the replica's engines' prefill share of
 *                                 theirs)
 * @param energyJoules             ∫ power dt over the horizon by state or by utilisation ({@link GpuPower#energyJoules});
 *                                 NaN when the GPU's power is unknown (or, by utilisation, its MFU and MBU)
 * @param mfu                      model FLOPs utilisation: the replica's model FLOPs ({@link IterationWork}) / (its
 *                                 GPUs · peak FLOP/s · horizon), the mean over the replica's GPUs; NaN when the
 *                                 step-time model does not count FLOPs
 * @param mbu                      memory bandwidth utilisation: the replica's HBM bytes (weights and KV cache read) /
 *                                 (its GPUs · HBM bandwidth · horizon), the mean over its GPUs; NaN likewise
 */
public record GpuUsage(int gpu, int replica, int stage, int tpRank, double busyFraction, double computeBusySeconds,
                       double communicationBusySeconds, double memoryPeakGiB, double memoryMeanGiB,
                       double prefillBusySeconds, double energyJoules, double mfu, double mbu) {

    public double busySeconds() {
        return computeBusySeconds + communicationBusySeconds;
    }

    /** communication / busy; 0 for a GPU that was never busy. */
    public double communicationFraction() {
        double busy = busySeconds();
        return busy > 0 ? communicationBusySeconds / busy : 0;
    }

    /** One row per GPU of the run's replicas, in GPU order. */
    public static List<GpuUsage> of(SimulationResult result) {
        Cluster cluster = result.cluster();
        double horizon = result.horizonSeconds();
        int replicas = cluster.deploymentReplicaCount();
        Replica[] firstEngine = new Replica[replicas];
        double[] kvBlockSeconds = new double[replicas];
        double[] busy = new double[replicas];
        double[] prefillBusy = new double[replicas];
        double[] flops = new double[replicas];
        double[] hbmBytes = new double[replicas];
        for (int e = 0; e < cluster.replicaCount(); e++) {
            Replica engine = cluster.replica(e);
            int r = engine.deploymentReplica();
            if (firstEngine[r] == null) {
                firstEngine[r] = engine;
            }
            kvBlockSeconds[r] += engine.stats().kvBlockSeconds();
            busy[r] += engine.stats().busySeconds();
            prefillBusy[r] += engine.stats().prefillBusySeconds();
            flops[r] += engine.stats().flops();
            hbmBytes[r] += engine.stats().hbmBytes();
        }
        List<GpuUsage> gpus = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            Replica engine = firstEngine[r];
            int stages = engine.pipelineStages();
            int tp = engine.stepTimeModel().tensorParallel();
            int blockTokens = engine.config().blockTokens();
            double peakTokens = (double) engine.stats().replicaPeakUsedBlocks() * blockTokens;
            double meanTokens = horizon > 0 ? kvBlockSeconds[r] / horizon * blockTokens : 0;
            ModelSpec model = engine.stepTimeModel() instanceof RooflineStepTimeModel roofline ? roofline.model() : null;
            double prefillShare = busy[r] > 0 ? prefillBusy[r] / busy[r] : 0;
            GpuPower power = engine.power();
            IterationWork work = engine.stepTimeModel().work();
            boolean counted = work != null && horizon > 0;
            double mfu = counted ? work.mfu(flops[r], horizon) : Double.NaN;
            double mbu = counted ? work.mbu(hbmBytes[r], horizon) : Double.NaN;
            for (int s = 0; s < stages; s++) {
                double stageBusy = engine.stats().stageBusySeconds(s);
                double prefill = stages == 1 ? engine.stats().prefillBusySeconds() : stageBusy * prefillShare;
                double energy = power == null ? Double.NaN
                        : power.energyJoules(horizon, prefill, stageBusy - prefill, mfu, mbu);
                double communication = engine.stats().stageCommunicationSeconds(s);
                double weightBytes = model == null ? Double.NaN : model.stageWeightBytes(stages, s) / tp;
                double kvBytesPerToken = model == null ? Double.NaN : model.kvBytesPerTokenPerGpu(stages, s, tp);
                double peakGiB = (weightBytes + peakTokens * kvBytesPerToken) / KvCacheSizing.BYTES_PER_GIB;
                double meanGiB = (weightBytes + meanTokens * kvBytesPerToken) / KvCacheSizing.BYTES_PER_GIB;
                for (int rank = 0; rank < tp; rank++) {
                    gpus.add(new GpuUsage(gpus.size(), r, s, rank, horizon > 0 ? stageBusy / horizon : 0,
                            stageBusy - communication, communication, peakGiB, meanGiB, prefill, energy, mfu, mbu));
                }
            }
        }
        return gpus;
    }

    /** How unevenly the GPUs were busy: max |busy_i − mean| / mean over GPUs; 0 when none was busy. */
    public static double balance(List<GpuUsage> gpus) {
        double mean = gpus.stream().mapToDouble(GpuUsage::busySeconds).average().orElse(0);
        if (mean <= 0) {
            return 0;
        }
        return gpus.stream().mapToDouble(g -> Math.abs(g.busySeconds() - mean)).max().orElse(0) / mean;
    }

    /** Mean over the GPUs that were busy of communication / busy; 0 when none was busy. */
    public static double meanCommunicationFraction(List<GpuUsage> gpus) {
        return gpus.stream().filter(g -> g.busySeconds() > 0).mapToDouble(GpuUsage::communicationFraction)
                .average().orElse(0);
    }
}
