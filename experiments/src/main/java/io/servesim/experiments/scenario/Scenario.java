package io.servesim.experiments.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;
import io.servesim.workloads.Presets;
import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadSpecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * One simulation as a user describes it: what is deployed, the engine's limits, the batching
 * policy, the router, the traffic, and how metrics are taken. Every section has defaults, so the
 * smallest scenario is {@code workload: stress}.
 *
 * <pre>
 * seed: 42
 * deployment: {model: Llama-2-7B, gpu: H100-SXM, tp: 1, pp: 1, replicas: 1}
 * engine: {max_num_seqs: 256, max_num_batched_tokens: 8192, chunked_prefill: false}
 * scheduler: {type: continuous}
 * router: {type: round_robin}
 * workload: stress            # a preset name, a workload file, or the workload itself
 * metrics: {warmup_fraction: 0, timeseries_interval_seconds: 1}   # the time series is optional
 * </pre>
 *
 * <p>With a {@code pools} section ({@link Pools}) the cluster is disaggregated: the pools replace the deployment's
 * GPU, parallel layout and replicas and the engine, scheduler and router sections.
 */
public record Scenario(long seed, DeploymentConfig deployment, EngineConfig engine, SchedulerChoice scheduling,
                       WorkloadSpec workload, MetricsConfig metrics, Pools pools) {

    static final List<String> SECTIONS = List.of("seed", "deployment", "engine", "scheduler", "router", "workload", "metrics",
            "pools");

    public Scenario {
        ConfigException.require(deployment != null, "deployment", "must be set", null);
        ConfigException.require(engine != null, "engine", "must be set", null);
        ConfigException.require(scheduling != null, "scheduler", "must be set", null);
        ConfigException.require(workload != null, "workload", "must be set", null);
        ConfigException.require(metrics != null, "metrics", "must be set", null);
    }

    /** An aggregated scenario (no pools). */
    public Scenario(long seed, DeploymentConfig deployment, EngineConfig engine, SchedulerChoice scheduling,
                    WorkloadSpec workload, MetricsConfig metrics) {
        this(seed, deployment, engine, scheduling, workload, metrics, null);
    }

    /**
     * The deployment the core module binds: the deployment section, or with pools the prefill pool's (the pools
     * themselves are composed by {@link PoolsModule}).
     */
    DeploymentConfig coreDeployment() {
        return pools == null ? deployment : pools.prefill().deployment(deployment);
    }

    /**
     * The deployments of the scenario's GPUs: the deployment section (one per replica group, when it mixes GPU types),
     * or the prefill and the decode pool's.
     */
    public List<DeploymentConfig> hardware() {
        return pools == null ? deployment.groups()
                : List.of(pools.prefill().deployment(deployment), pools.decode().deployment(deployment));
    }

    /**
     * GPU types as the results name them, joined by {@code +}: the deployment's (its replica groups' in order), or the
     * prefill pool's and the decode pool's.
     */
    public String gpuTypes() {
        return String.join("+", hardware().stream().map(DeploymentConfig::gpu).toList());
    }

    /** Replicas of the scenario: the deployment's (all groups'), or both pools'. */
    public int replicas() {
        return hardware().stream().mapToInt(DeploymentConfig::replicas).sum();
    }

    /** The engine limits the core module binds: the engine section, or the prefill pool's. */
    EngineConfig coreEngine() {
        return pools == null ? engine : pools.prefill().engine();
    }

    /** GPUs the scenario uses: tp · pp · replicas, summed over its replica groups or pools. */
    public int gpus() {
        return hardware().stream().mapToInt(d -> d.tp() * d.pp() * d.replicas()).sum();
    }

    /**
     * Metrics options.
     *
     * @param warmupFraction            fraction of the first (and of the last) arrivals left out of latency, SLA
     *                                   and goodput figures, for steady-state numbers; default 0
     * @param timeseriesIntervalSeconds  grid step of the per-replica time series ({@code timeseries.csv} of
     *                                   {@code run}); null (the default): no time series
     */
    public record MetricsConfig(Double warmupFraction, Double timeseriesIntervalSeconds) {
        public MetricsConfig {
            warmupFraction = warmupFraction == null ? 0.0 : warmupFraction;
            ConfigException.require(warmupFraction >= 0 && warmupFraction < 0.5, "warmup_fraction",
                    "must be in [0, 0.5)", warmupFraction);
            ConfigException.require(timeseriesIntervalSeconds == null
                    || timeseriesIntervalSeconds > 0 && timeseriesIntervalSeconds < Double.POSITIVE_INFINITY,
                    "timeseries_interval_seconds", "must be a positive number of seconds (e.g. 1)",
                    timeseriesIntervalSeconds);
        }

        public static MetricsConfig defaults() {
            return new MetricsConfig(null, null);
        }

        public MetricsConfig withWarmupFraction(double value) {
            return new MetricsConfig(value, timeseriesIntervalSeconds);
        }

        public MetricsConfig withTimeseriesIntervalSeconds(double value) {
            return new MetricsConfig(warmupFraction, value);
        }
    }

    /** Reads a scenario file (YAML, or JSON by its extension). */
    public static Scenario read(Path file) {
        return read(file, List.of());
    }

    /** Reads a scenario file and applies {@code --set key.path=value} overrides to it. */
    public static Scenario read(Path file, List<String> overrides) {
        ObjectNode root = readTree(file, "a scenario");
        ConfigOverrides.apply(root, overrides);
        return fromTree(root);
    }

    /**
     * Reads the sections of a configuration file ({@code what} it is, for the message when it is not a mapping). The
     * files it names — a workload file, trace paths, {@code deployment.catalog}, {@code deployment.step_time_profile} —
     * are relative to the file's folder, not to the working directory, so a configuration runs from anywhere.
     */
    public static ObjectNode readTree(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config " + file + (Files.isDirectory(file) ? " is a folder, not a file"
                    : " does not exist"));
        }
        JsonNode root = ConfigMapper.read(file, JsonNode.class);
        if (!root.isObject()) {
            throw new ConfigException(file.getFileName() + ": " + what + " must be a mapping of the sections " + SECTIONS);
        }
        Path folder = WorkloadSpecs.folderOf(file);
        if (root.get("deployment") instanceof ObjectNode deployment) {
            WorkloadSpecs.resolvePath(deployment, "catalog", folder);
            WorkloadSpecs.resolvePath(deployment, "step_time_profile", folder);
        }
        JsonNode workload = root.get("workload");
        if (workload != null && workload.isTextual() && !Presets.NAMES.contains(workload.asText())) {
            WorkloadSpecs.resolvePath((ObjectNode) root, "workload", folder);
        } else {
            WorkloadSpecs.resolvePaths(workload, folder);
        }
        return (ObjectNode) root;
    }

    /**
     * Builds a scenario from its parsed sections. Every section is read even when an earlier one is wrong, and the
     * mistakes of all of them are reported together, each naming its field.
     */
    public static Scenario fromTree(ObjectNode root) {
        ConfigException.Collector mistakes = new ConfigException.Collector();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SECTIONS.contains(name)) {
                mistakes.add(new ConfigException(name + ": unknown section; known sections: " + SECTIONS));
            }
        }
        Long seed = mistakes.attempt(() -> seed(root.get("seed")));
        DeploymentConfig deployment = mistakes.attempt(() -> section(root, "deployment", DeploymentConfig.class, DeploymentConfig.defaults()));
        EngineConfig engine = mistakes.attempt(() -> section(root, "engine", EngineConfig.class, EngineConfig.defaults()));
        SchedulerChoice scheduling = mistakes.attempt(() -> SchedulerChoice.fromTree(root.get("scheduler"), root.get("router")));
        WorkloadSpec workload = mistakes.attempt(() -> workload(root.get("workload")));
        MetricsConfig metrics = mistakes.attempt(() -> section(root, "metrics", MetricsConfig.class, MetricsConfig.defaults()));
        Pools pools = mistakes.attempt(() -> root.hasNonNull("pools") ? Pools.fromTree(root.get("pools")) : null);
        mistakes.throwIfAny();
        return new Scenario(seed, deployment, engine, scheduling, workload, metrics, pools);
    }

    /** The seed: a whole number that fits in 64 bits (default 42). */
    private static long seed(JsonNode node) {
        if (node == null) {
            return 42L;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ConfigException("seed: expected a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    + ", got " + ConfigException.printable(node.toString()));
        }
        return node.asLong();
    }

    /**
     * The scenario as the sections of its file ({@link #fromTree} reads it back): the scheduling choice is written as
     * its {@code scheduler} and {@code router} sections.
     */
    public ObjectNode toTree() {
        ObjectNode tree = ConfigMapper.json().valueToTree(this);
        JsonNode scheduling = tree.remove("scheduling");
        ObjectNode sections = ConfigMapper.json().createObjectNode();
        for (String name : SECTIONS) {
            JsonNode value = "scheduler".equals(name) || "router".equals(name) ? scheduling.get(name) : tree.get(name);
            if (value != null) {
                sections.set(name, value);
            }
        }
        return sections;
    }

    private static <T> T section(ObjectNode root, String name, Class<T> type, T defaults) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? defaults : ConfigMapper.convert(node, type, name);
    }

    private static WorkloadSpec workload(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ConfigException("workload must be set: a preset name (e.g. stress), a workload file, or a mapping");
        }
        return node.isTextual() ? WorkloadSpecs.resolve(node.asText()) : ConfigMapper.convert(node, WorkloadSpec.class, "workload");
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(newSeed, deployment, engine, scheduling, workload, metrics, pools);
    }

    public Scenario withDeployment(DeploymentConfig newDeployment) {
        return new Scenario(seed, newDeployment, engine, scheduling, workload, metrics, pools);
    }

    public Scenario withEngine(EngineConfig newEngine) {
        return new Scenario(seed, deployment, newEngine, scheduling, workload, metrics, pools);
    }

    public Scenario withScheduling(SchedulerChoice newScheduling) {
        return new Scenario(seed, deployment, engine, newScheduling, workload, metrics, pools);
    }

    public Scenario withWorkload(WorkloadSpec newWorkload) {
        return new Scenario(seed, deployment, engine, scheduling, newWorkload, metrics, pools);
    }

    public Scenario withPools(Pools newPools) {
        return new Scenario(seed, deployment, engine, scheduling, workload, metrics, newPools);
    }

    public Scenario withMetrics(MetricsConfig newMetrics) {
        return new Scenario(seed, deployment, engine, scheduling, workload, newMetrics, pools);
    }
}
