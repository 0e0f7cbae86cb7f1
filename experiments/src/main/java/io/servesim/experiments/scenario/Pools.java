package io.servesim.experiments.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.setup.EngineConfig;

import java.util.Iterator;
import java.util.List;

/**
 * A disaggregated cluster (the scenario's {@code pools} section): a prefill pool and a decode pool, each with its own
 * GPU type, parallel layout, replicas, power cap, engine limits, batching policy and router. The model, its
 * precision, memory settings and the network come from the {@code deployment} section; the prefill pool takes the
 * network's first GPUs and the decode pool the next ones (docs/disaggregation.md).
 *
 * <pre>
 * pools:
 *   prefill: {gpu: H100-SXM, tp: 1, replicas: 8, engine: {chunked_prefill: true}, router: {type: least_loaded}}
 *   decode:  {gpu: A100-80GB, tp: 1, replicas: 8, router: {type: kv_aware}}
 * </pre>
 */
public record Pools(Pool prefill, Pool decode) {
    static final List<String> POOLS = List.of("prefill", "decode");

    public Pools {
        ConfigException.require(prefill != null, "pools.prefill", "must be set", null);
        ConfigException.require(decode != null, "pools.decode", "must be set", null);
    }

    /**
     * One pool.
     *
     * @param gpu              catalog GPU name (default H100-SXM)
     * @param tp               tensor-parallel degree (default 1)
     * @param pp               pipeline-parallel degree (default 1)
     * @param ep               expert-parallel degree of a mixture-of-experts model (default 1; divides tp)
     * @param replicas         replicas (default 1)
     * @param powerCapFraction power cap as a fraction of TDP (default none)
     * @param engine           engine limits (vLLM names; default the engine defaults)
     * @param scheduling       batching policy and router (default continuous, round_robin)
     */
    public record Pool(String gpu, Integer tp, Integer pp, Integer ep, Integer replicas, Double powerCapFraction,
                       EngineConfig engine, SchedulerChoice scheduling) {
        static final List<String> KEYS = List.of("gpu", "tp", "pp", "ep", "replicas", "power_cap_fraction", "engine",
                "scheduler", "router");

        public Pool {
            gpu = gpu == null ? "H100-SXM" : gpu;
            tp = tp == null ? 1 : tp;
            pp = pp == null ? 1 : pp;
            ep = ep == null ? 1 : ep;
            replicas = replicas == null ? 1 : replicas;
            engine = engine == null ? EngineConfig.defaults() : engine;
            scheduling = scheduling == null ? SchedulerChoice.defaults() : scheduling;
            ConfigException.require(tp >= 1, "tp", "must be >= 1", tp);
            ConfigException.require(pp >= 1, "pp", "must be >= 1", pp);
            ConfigException.require(ep >= 1, "ep", "must be >= 1", ep);
            ConfigException.require(replicas >= 1, "replicas", "must be >= 1", replicas);
            ConfigException.require(powerCapFraction == null || (powerCapFraction > 0 && powerCapFraction <= 1),
                    "power_cap_fraction", "must be in (0, 1] (a fraction of the GPU's TDP)", powerCapFraction);
        }

        /** {@code deployment}'s model, precision, memory settings and network with this pool's GPUs and layout. */
        public DeploymentConfig deployment(DeploymentConfig deployment) {
            return deployment.forPool(gpu, tp, pp, ep, replicas, powerCapFraction);
        }

        /** GPUs of the pool: tp · pp · replicas. */
        public int gpus() {
            return tp * pp * replicas;
        }

        /** The same pool with {@code n} replicas. */
        public Pool withReplicas(int n) {
            return new Pool(gpu, tp, pp, ep, n, powerCapFraction, engine, scheduling);
        }

        static Pool fromTree(JsonNode node, String prefix) {
            if (node == null || !node.isObject()) {
                throw new ConfigException(prefix + " must be a mapping of " + KEYS);
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!KEYS.contains(name)) {
                    throw new ConfigException(prefix + "." + name + " is not a pool setting; known: " + KEYS);
                }
            }
            try {
                return new Pool(text(node, "gpu"), integer(node, "tp", prefix), integer(node, "pp", prefix),
                        integer(node, "ep", prefix), integer(node, "replicas", prefix),
                        node.hasNonNull("power_cap_fraction") ? number(node, "power_cap_fraction", prefix) : null,
                        node.hasNonNull("engine") ? ConfigMapper.convert(node.get("engine"), EngineConfig.class,
                                prefix + ".engine") : null,
                        SchedulerChoice.fromTree(node.get("scheduler"), node.get("router")));
            } catch (ConfigException e) {
                throw e.getMessage().startsWith(prefix) ? e : new ConfigException(prefix + "." + e.getMessage(), e);
            }
        }

        private static String text(JsonNode node, String key) {
            return node.hasNonNull(key) ? node.get(key).asText() : null;
        }

        private static Integer integer(JsonNode node, String key, String prefix) {
            if (!node.hasNonNull(key)) {
                return null;
            }
            ConfigException.require(node.get(key).canConvertToInt() && node.get(key).isIntegralNumber(),
                    prefix + "." + key, "must be an integer", node.get(key));
            return node.get(key).asInt();
        }

        private static double number(JsonNode node, String key, String prefix) {
            ConfigException.require(node.get(key).isNumber(), prefix + "." + key, "must be a number", node.get(key));
            return node.get(key).asDouble();
        }
    }

    /** GPUs of both pools. */
    public int gpus() {
        return prefill.gpus() + decode.gpus();
    }

    static Pools fromTree(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ConfigException("pools must be a mapping of " + POOLS);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!POOLS.contains(name)) {
                throw new ConfigException("pools." + name + " is not a pool; known pools: " + POOLS);
            }
        }
        return new Pools(Pool.fromTree(node.get("prefill"), "pools.prefill"),
                Pool.fromTree(node.get("decode"), "pools.decode"));
    }
}
