package io.servesim.core.setup;

import io.servesim.core.config.ConfigException;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.cluster.Topology;
import io.servesim.core.cluster.TopologySpec;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.memory.KvCacheSizing;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.Precision;
import io.servesim.core.model.ProfiledStepTimeModel;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.model.StepTimeProfile;
import io.servesim.core.model.StepTimeProfileCsv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is served on what, as a configuration names it: catalog names, parallel degrees, the
 * cluster. {@link #resolve} turns it into a validated {@link Deployment}.
 *
 * @param model                catalog name of the model, any case (default Llama-2-7B)
 * @param gpu                  catalog name of the GPU type, any case (default H100-SXM)
 * @param tp                   tensor-parallel degree (default 1)
 * @param pp                   pipeline-parallel degree (default 1)
 * @param replicas             data-parallel replicas (default 1)
 * @param clusterGpus          GPUs in the cluster (default tp · pp · replicas)
 * @param gpuMemoryUtilization fraction of GPU memory the engine may use (default 0.9)
 * @param activationReserveGib per-GPU memory kept out of the KV cache (default 2 GiB)
 * @param topology             the network (default: 8-GPU NVLink nodes joined by InfiniBand)
 * @param catalog              optional JSON file with more GPUs and models (same format as the built-in catalog)
 * @param stepTimeProfile      optional CSV of measured step times (docs/validation.md); when given, each replica's
 *                             iterations take the times interpolated from its rows for this model, GPU and tp instead
 *                             of the roofline's (memory and KV capacity still come from the catalog)
 * @param precision            number format of the weights and, unless {@code kvCachePrecision} says otherwise, of the
 *                             KV cache: {@code bf16} (the default: the catalog's bytes), {@code fp16} or {@code fp8}
 * @param kvCachePrecision     number format of the KV cache (default: {@code precision})
 * @param ep                   expert-parallel degree (default 1): each stage's tp GPUs hold a mixture-of-experts
 *                             model's experts as ep ranks of tp/ep GPUs; divides tp and the experts
 * @param routingSkew          how unevenly tokens choose experts (Zipf exponent; default: the model's
 *                             {@code moe.routing_skew}, 0 = uniform); only for a mixture-of-experts model
 * @param powerCapFraction     optional power cap of every GPU as a fraction of its TDP: compute throughput and
 *                             power drop as {@link GpuSpec#powerCapped} says (default: no cap)
 * @param powerModel           how the GPUs' power is modelled for the run's energy: {@code state} (idle, prefill,
 *                             decode) or {@code utilisation} (interpolated by MFU and MBU), see
 *                             {@link io.servesim.core.hardware.GpuPower} (default: the catalog entry's, state)
 * @param replicaGroups        optional groups of replicas of different GPU types (an aggregated deployment that mixes
 *                             GPU types); when given they replace {@code gpu}, {@code tp}, {@code pp} and
 *                             {@code replicas}, and {@code ep} applies to every group
 */
public record DeploymentConfig(String model, String gpu, Integer tp, Integer pp, Integer replicas, Integer clusterGpus,
                               Double gpuMemoryUtilization, Double activationReserveGib, TopologySpec topology,
                               String catalog, String stepTimeProfile, String precision, String kvCachePrecision,
                               Integer ep, Double routingSkew, Double powerCapFraction, String powerModel,
                               List<ReplicaGroup> replicaGroups) {
    public DeploymentConfig {
        model = model == null ? "Llama-2-7B" : model;
        gpu = gpu == null ? "H100-SXM" : gpu;
        tp = tp == null ? 1 : tp;
        pp = pp == null ? 1 : pp;
        replicas = replicas == null ? 1 : replicas;
        ep = ep == null ? 1 : ep;
        ConfigException.require(tp >= 1, "tp", "must be >= 1", tp);
        ConfigException.require(ep >= 1, "ep", "must be >= 1", ep);
        ConfigException.require(routingSkew == null || (routingSkew >= 0 && Double.isFinite(routingSkew)),
                "routing_skew", "must be >= 0 (0 = uniform routing)", routingSkew);
        ConfigException.require(pp >= 1, "pp", "must be >= 1", pp);
        ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
        ConfigException.require(replicaGroups == null || !replicaGroups.isEmpty(), "replica_groups",
                "must list at least one group of {gpu, tp, pp, replicas}", "[]");
        ConfigException.require(replicaGroups == null || stepTimeProfile == null, "step_time_profile",
                "cannot time replica_groups (a profile is for one GPU type and layout); remove one of the two",
                stepTimeProfile);
        replicaGroups = replicaGroups == null ? null : List.copyOf(replicaGroups);
        clusterGpus = clusterGpus != null ? clusterGpus
                : replicaGroups != null ? replicaGroups.stream().mapToInt(ReplicaGroup::gpus).sum() : tp * pp * replicas;
        ConfigException.require(clusterGpus >= 1, "cluster_gpus", "must be >= 1", clusterGpus);
        gpuMemoryUtilization = gpuMemoryUtilization == null ? KvCacheSizing.DEFAULT_GPU_MEMORY_UTILIZATION
                : gpuMemoryUtilization;
        activationReserveGib = activationReserveGib == null ? KvCacheSizing.DEFAULT_ACTIVATION_RESERVE_GIB
                : activationReserveGib;
        topology = topology == null ? TopologySpec.defaults() : topology;
        ConfigException.require(powerCapFraction == null || (powerCapFraction > 0 && powerCapFraction <= 1),
                "power_cap_fraction", "must be in (0, 1] (a fraction of the GPU's TDP)", powerCapFraction);
        ConfigException.require(powerModel == null || powerModel.equals(GpuPower.STATE)
                || powerModel.equals(GpuPower.UTILISATION), "power_model",
                "must be one of " + GpuPower.STATE + ", " + GpuPower.UTILISATION, powerModel);
        if (precision != null) {
            Precision.of(precision, "precision");
        }
        if (kvCachePrecision != null) {
            Precision.of(kvCachePrecision, "kv_cache_precision");
        }
    }

    /** The defaults: one Llama-2-7B replica on one H100. */
    public static DeploymentConfig defaults() {
        return new DeploymentConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    public DeploymentConfig withParallelism(int newTp, int newPp, int newReplicas) {
        return new DeploymentConfig(model, gpu, newTp, newPp, newReplicas, null, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, stepTimeProfile, precision, kvCachePrecision, ep,
                routingSkew, powerCapFraction, powerModel, null);
    }

    /** The same deployment with expert routing skew {@code skew} (null: the model's). */
    public DeploymentConfig withRoutingSkew(Double skew) {
        return new DeploymentConfig(model, gpu, tp, pp, replicas, clusterGpus, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, stepTimeProfile, precision, kvCachePrecision, ep, skew,
                powerCapFraction, powerModel, replicaGroups);
    }

    /** The same deployment with expert-parallel degree {@code newEp}. */
    public DeploymentConfig withExpertParallelism(int newEp) {
        return new DeploymentConfig(model, gpu, tp, pp, replicas, clusterGpus, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, stepTimeProfile, precision, kvCachePrecision, newEp,
                routingSkew, powerCapFraction, powerModel, replicaGroups);
    }

    public DeploymentConfig withModelAndGpu(String newModel, String newGpu) {
        return new DeploymentConfig(newModel, newGpu, tp, pp, replicas, clusterGpus, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, stepTimeProfile, precision, kvCachePrecision, ep,
                routingSkew, powerCapFraction, powerModel, replicaGroups);
    }

    /**
     * One pool of a disaggregated cluster: this deployment's model, precision, memory settings and network with the
     * pool's GPU type, parallel layout (expert parallelism included), replicas and power cap (null: none).
     */
    public DeploymentConfig forPool(String poolGpu, int poolTp, int poolPp, int poolEp, int poolReplicas,
                                    Double poolPowerCap) {
        return new DeploymentConfig(model, poolGpu, poolTp, poolPp, poolReplicas, null, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, null, precision, kvCachePrecision, poolEp, routingSkew,
                poolPowerCap, powerModel, null);
    }

    /**
     * The deployments of this configuration's GPUs: itself, or with {@link #replicaGroups} one per group (the group's
     * GPU type, layout and replicas with this deployment's model, precision, memory settings, network, ep and cap).
     */
    public List<DeploymentConfig> groups() {
        return replicaGroups == null ? List.of(this) : replicaGroups.stream()
                .map(g -> forPool(g.gpu(), g.tp(), g.pp(), ep, g.replicas(), powerCapFraction)).toList();
    }

    /**
     * The deployments of {@link #groups()}, validated and placed one after the other on one network (built for the
     * first group's GPU type); a mistake in group i is a {@link ConfigException} starting with
     * {@code deployment.replica_groups[i].}.
     */
    public List<Deployment> resolveGroups(Catalog cat) {
        if (replicaGroups == null) {
            return List.of(resolve(cat));
        }
        List<DeploymentConfig> groups = groups();
        Topology network;
        try {
            network = topology.build(clusterGpus, groups.get(0).gpuSpec(cat));
        } catch (ConfigException e) {
            throw new ConfigException("deployment." + e.getMessage(), e);
        }
        List<Deployment> deployments = new ArrayList<>(groups.size());
        int firstGpu = 0;
        for (int i = 0; i < groups.size(); i++) {
            try {
                Deployment d = groups.get(i).resolve(cat, network, firstGpu);
                d.kvBlocksPerReplica();
                deployments.add(d);
            } catch (ConfigException e) {
                // a misfit is reported as "deployment: …" and a field as "tp …": either way, named by its group
                String what = e.getMessage().startsWith("deployment: ") ? e.getMessage().substring(10)
                        : "." + e.getMessage();
                throw new ConfigException("deployment.replica_groups[" + i + "]" + what, e);
            }
            firstGpu += replicaGroups.get(i).gpus();
        }
        return deployments;
    }

    /** The same deployment with iteration times from a measured profile (see {@link #stepTimeProfile}). */
    public DeploymentConfig withStepTimeProfile(String profileCsv) {
        return new DeploymentConfig(model, gpu, tp, pp, replicas, clusterGpus, gpuMemoryUtilization,
                activationReserveGib, topology, catalog, profileCsv, precision, kvCachePrecision, ep, routingSkew,
                powerCapFraction, powerModel, replicaGroups);
    }

    /**
     * The measured step-time model this configuration names, if any: the profile's rows for this model, GPU and tp.
     * A profile needs pp = 1 (its rows time the whole model) and must have rows for the deployment.
     */
    public Optional<StepTimeModel> profiledStepTimeModel() {
        if (stepTimeProfile == null) {
            return Optional.empty();
        }
        ConfigException.require(pp == 1, "deployment.step_time_profile", "needs pp = 1 (a profile times whole-model"
                + " iterations)", "pp = " + pp);
        List<StepTimeProfile> profiles = StepTimeProfileCsv.read(Path.of(stepTimeProfile));
        StepTimeProfile match = profiles.stream()
                .filter(p -> p.model().equalsIgnoreCase(model) && p.gpu().equalsIgnoreCase(gpu) && p.tp() == tp)
                .findFirst()
                .orElseThrow(() -> new ConfigException("deployment.step_time_profile: " + stepTimeProfile
                        + " has no rows for " + model + " on " + gpu + " with tp " + tp + "; it has: "
                        + profiles.stream().map(StepTimeProfile::label).toList()));
        return Optional.of(new ProfiledStepTimeModel(match));
    }

    /** The catalog this configuration names models and GPUs from. */
    public Catalog loadCatalog() {
        return Catalog.load(Optional.ofNullable(catalog).map(Path::of));
    }

    /** The catalog model in this configuration's precision; FP8 weights need a GPU with FP8 tensor cores. */
    private ModelSpec servedModel(ModelSpec catalogModel, GpuSpec gpuSpec) {
        if (routingSkew != null) {
            catalogModel = catalogModel.withRoutingSkew(routingSkew);
        }
        if (precision == null && kvCachePrecision == null) {
            return catalogModel;
        }
        double weightBytes = precision == null ? catalogModel.bytesPerParam() : Precision.of(precision, "precision").bytes();
        double kvBytes = kvCachePrecision != null ? Precision.of(kvCachePrecision, "kv_cache_precision").bytes()
                : precision != null ? weightBytes : catalogModel.kvBytesPerElement();
        ConfigException.require(gpuSpec.supportsWeightBytes(weightBytes), "precision",
                "needs FP8 tensor cores, which " + gpuSpec.name() + " lacks (peak_fp8_tflops 0); use bf16", precision);
        return catalogModel.withPrecision(weightBytes, kvBytes);
    }

    /**
     * Looks the names up and validates the parallel layout on the cluster; a mistake is a
     * {@link ConfigException} whose message starts with {@code deployment.}.
     */
    public Deployment resolve(Catalog cat) {
        ConfigException.require(replicaGroups == null, "deployment.replica_groups", "needs a command that runs the"
                + " deployment as it is (run, sweep, compare, capacity, plans), not one that varies its GPU type and"
                + " layout; remove replica_groups", replicaGroups == null ? 0 : replicaGroups.size() + " groups");
        try {
            return resolve(cat, topology.build(clusterGpus, gpuSpec(cat)), 0);
        } catch (ConfigException e) {
            throw new ConfigException("deployment." + e.getMessage(), e);
        }
    }

    /**
     * The deployment placed on {@code network} from GPU {@code firstGpu} on (one pool of a disaggregated cluster);
     * a mistake is a {@link ConfigException} naming the field.
     */
    public Deployment resolve(Catalog cat, Topology network, int firstGpu) {
        GpuSpec gpuSpec = gpuSpec(cat);
        ModelSpec modelSpec = servedModel(cat.model(model), gpuSpec);
        return new Deployment(modelSpec, gpuSpec, tp, pp, ep, replicas, gpuMemoryUtilization, activationReserveGib,
                network, firstGpu);
    }

    /** The catalog GPU, under this configuration's power cap if it has one, its power by this power model if named. */
    public GpuSpec gpuSpec(Catalog cat) {
        GpuSpec spec = cat.gpu(gpu);
        spec = powerCapFraction == null ? spec : spec.powerCapped(powerCapFraction);
        return powerModel == null ? spec : spec.withPowerModel(powerModel);
    }
}
