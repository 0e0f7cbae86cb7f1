package io.servesim.core.engine;

import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.Router;

import java.util.List;

/**
 * The decode side of a disaggregated cluster (Splitwise, DistServe): the run's replicas only prefill, and each
 * request, once prefilled, moves to one of these decode replicas — chosen by {@code router} at that moment — with
 * its KV sent over the {@code topology}'s links ({@link KvTransfers}).
 *
 * @param plans           the decode replicas
 * @param router          picks a decode replica for each prefilled request (among the decode replicas only)
 * @param topology        the cluster network both pools sit on (a {@code cluster.Topology})
 * @param prefillGpus     for each prefill replica (in plan order), its GPUs on the topology
 * @param decodeGpus      for each decode replica, its GPUs on the topology
 * @param kvBytesPerToken KV-cache bytes of one token of the model (all layers, all heads), as sent
 */
public record Disaggregation(List<? extends ReplicaPlan> plans, Router router, LinkNetwork topology, int[][] prefillGpus,
                             int[][] decodeGpus, double kvBytesPerToken) {
    public Disaggregation {
        plans = List.copyOf(plans);
        ConfigException.require(!plans.isEmpty(), "pools.decode.replicas", "must be >= 1", 0);
        ConfigException.require(decodeGpus.length == plans.size(), "pools.decode", "needs the GPUs of each of its "
                + plans.size() + " replicas", decodeGpus.length);
        ConfigException.require(kvBytesPerToken > 0, "kv_bytes_per_token", "must be > 0", kvBytesPerToken);
        for (int[][] pool : new int[][][] {prefillGpus, decodeGpus}) {
            for (int[] gpus : pool) {
                for (int g : gpus) {
                    ConfigException.require(g >= 0 && g < topology.gpuCount(), "pools", "place replicas on the "
                            + topology.gpuCount() + " GPUs of the topology", "GPU " + g);
                }
            }
        }
    }
}
