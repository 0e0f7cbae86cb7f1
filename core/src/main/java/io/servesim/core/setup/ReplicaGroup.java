package io.servesim.core.setup;

import io.servesim.core.config.ConfigException;

/**
 * One group of identical replicas in an aggregated deployment that mixes GPU types ({@code deployment.replica_groups}):
 * its GPU type, parallel layout and replica count. The deployment gives the model, precision, memory settings and
 * network; groups are placed on the network one after the other, in the order listed.
 *
 * @param gpu      catalog name of the group's GPU type, any case (required)
 * @param tp       tensor-parallel degree (default 1)
 * @param pp       pipeline-parallel degree (default 1)
 * @param replicas replicas of the group (default 1)
 */
public record ReplicaGroup(String gpu, Integer tp, Integer pp, Integer replicas) {
    public ReplicaGroup {
        ConfigException.require(gpu != null && !gpu.isBlank(), "gpu", "must name a catalog GPU (e.g. H100-SXM)", gpu);
        tp = tp == null ? 1 : tp;
        pp = pp == null ? 1 : pp;
        replicas = replicas == null ? 1 : replicas;
        ConfigException.require(tp >= 1, "tp", "must be >= 1", tp);
        ConfigException.require(pp >= 1, "pp", "must be >= 1", pp);
        ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
    }

    /** GPUs of the group: tp · pp · replicas. */
    public int gpus() {
        return tp * pp * replicas;
    }
}
