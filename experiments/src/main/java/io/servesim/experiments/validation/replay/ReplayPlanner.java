package io.servesim.experiments.validation.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.config.ConfigException;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.StepTimeModel;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.validation.replay.BenchmarkRow.ClosedLoop;
import io.servesim.experiments.validation.replay.BenchmarkRow.OpenLoop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a measured row into the simulation that replays it, or into the reason ServeSim cannot express it. Safe to
 * use from several threads; a row's plan depends on nothing but the row.
 *
 * <p>Engine settings are those of a vLLM (V1) OpenAI-compatible server on a GPU of 70 GiB or more, the defaults the
 * benchmarks ran with unless a row says otherwise: {@code max_num_seqs} 1024 (raised to the concurrency when a closed
 * loop has more clients), {@code max_num_batched_tokens} 8192, chunked prefill on with no per-request chunk cap
 * ({@code prefill_chunk_tokens} = the token budget), GPU memory utilisation 0.9, FCFS continuous batching. TensorRT-LLM
 * rows are replayed with the same settings. An aggregated SGLang row replays with SGLang's defaults where they differ:
 * a prefill batch of at most {@code chunked_prefill_size} tokens ({@link #sglangChunkTokens}) and unmixed batches,
 * whose benchmark clients stay in lockstep ({@link #servesUnmixed}).
 *
 * <p>A closed-loop row's steady state runs {@link #CLOSED_LOOP_ROUNDS} rounds of its N clients (6·N requests of
 * exactly the row's input and output lengths, no think time) and is measured on the middle four rounds: the first N
 * arrivals (the warm-up, on a server that starts empty) and the last N (the cool-down, where clients stop and the
 * load thins out) are left out. How the clients start is a {@link ClientStart}. By default ({@link
 * ClientStart#BENCHMARK}) a row is replayed as the benchmark ran it: {@link #BENCHMARK_ROUNDS} rounds whose first
 * starts cold, every client at once, and whose later rounds are in the desynchronised steady state; the benchmark's
 * means are then the rounds' weighted means (see {@link Replay}). A noiseless simulation whose clients all start at
 * once keeps them in lockstep for ever, every round prefilling all N prompts in the same iterations, which a real
 * server does not do. An open-loop row runs its {@code requests} (default 1000) and leaves out the first and last
 * {@link #OPEN_LOOP_EXCLUDED_FRACTION} of arrivals.
 */
public final class ReplayPlanner {
    /** Rounds of a closed loop's clients: one warm-up, four measured, one cool-down. */
    public static final int CLOSED_LOOP_ROUNDS = 6;
    /** Fraction of an open-loop run's first and last arrivals left out of the latencies. */
    public static final double OPEN_LOOP_EXCLUDED_FRACTION = 0.1;
    /**
     * Rounds of N requests a closed-loop benchmark of N clients sends, first round included: 10, the number
     * AIConfigurator's models assume for its silicon measurements (requests = 10 × concurrency), which do not
     * record it.
     */
    public static final int BENCHMARK_ROUNDS = 10;
    /** The pools of a disaggregated row, in the order of {@link Scenario#hardware()}. */
    static final List<String> POOL_NAMES = List.of("prefill", "decode");
    /** vLLM's max_num_seqs for an OpenAI-compatible server on a GPU of ≥ 70 GiB. */
    public static final int DEFAULT_MAX_NUM_SEQS = 1024;
    /** vLLM's max_num_batched_tokens for an OpenAI-compatible server on a GPU of ≥ 70 GiB. */
    public static final int DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;
    /** The backend whose rows replay with unmixed batches ({@link #servesUnmixed}). */
    static final String SGLANG = "sglang";

    /** How a closed loop's clients send their first requests. */
    public enum ClientStart {
        /**
         * Client i at i · C / N, where C is one request's estimated cycle with N clients ({@link #cycleSeconds}:
         * its output tokens less one times a decode iteration of N sequences at the mean context, plus what the N
         * clients' prefills add to the iterations they join): later rounds stay spread over the cycle.
         */
        STAGGERED,
        /** Every client at t = 0, as a benchmark starts; with identical requests they stay in lockstep. */
        TOGETHER,
        /**
         * As a benchmark of {@link #BENCHMARK_ROUNDS} rounds runs: a cold first round (every client at t = 0, one
         * request each, all measured) and {@link #BENCHMARK_ROUNDS} − 1 rounds in the {@link #STAGGERED} steady state.
         */
        BENCHMARK
    }

    private final Catalog catalog;
    private final Path catalogFile;
    private final long seed;
    private final ClientStart clientStart;
    private final FrontEnds frontEnds;
    /** Catalog names by file name ("" for unknown): a planner looks each name up once, from any thread. */
    private final Map<String, String> catalogModels = new ConcurrentHashMap<>();
    private final Map<String, String> catalogGpus = new ConcurrentHashMap<>();

    /**
     * @param catalog     the catalog rows are looked up in
     * @param catalogFile the overlay file {@code catalog} was loaded with, which every run loads too; null for none
     * @param seed        the root seed; a row's run uses {@code seed} + its line (only open-loop arrivals draw from it)
     * @param clientStart how closed-loop clients start
     * @param frontEnds   the front-end time of each campaign ({@link FrontEnds#NONE}: none)
     */
    public ReplayPlanner(Catalog catalog, Path catalogFile, long seed, ClientStart clientStart, FrontEnds frontEnds) {
        this.catalog = catalog;
        this.catalogFile = catalogFile;
        this.seed = seed;
        this.clientStart = clientStart;
        this.frontEnds = frontEnds;
    }

    /** What to do with a row. */
    public sealed interface RowPlan permits Replay, Skip {
        BenchmarkRow row();
    }

    /**
     * Replay the row with {@code scenario}; {@code model} and {@code gpu} are the catalog's names. With a
     * {@code firstRound} (a closed loop replayed as a {@link ClientStart#BENCHMARK}), the row's predicted means are
     * (first round + (rounds − 1) · steady state) / rounds, where {@code scenario} gives the steady state.
     */
    public record Replay(BenchmarkRow row, String model, String gpu, Scenario scenario, Scenario firstRound,
                         int rounds) implements RowPlan {
    }

    /** The row cannot be expressed; {@code model} and {@code gpu} are the catalog names when they were found. */
    public record Skip(BenchmarkRow row, String model, String gpu, String reason) implements RowPlan {
    }

    /**
     * The precision a deployment runs a row's precision at ({@code deployment.precision}), or null when ServeSim
     * cannot: an empty precision is the model's own (bf16 or fp16); fp8 sets weights and KV cache to one byte. The one
     * place that decides which precisions are replayed.
     */
    static String deploymentPrecision(String rowPrecision) {
        return switch (rowPrecision) {
            case "", "bf16", "fp16" -> "bf16";
            case "fp8" -> "fp8";
            default -> null;
        };
    }

    public RowPlan plan(BenchmarkRow row) {
        boolean disaggregated = row.mode().equals("disagg");
        if (!disaggregated && !row.mode().equals("agg")) {
            return new Skip(row, null, null, "mode '" + row.mode() + "' is not modelled");
        }
        String model = catalogModels.computeIfAbsent(row.model(), this::catalogModel);
        if (model.isEmpty()) {
            return new Skip(row, null, null, "unknown model '" + row.model() + "'");
        }
        String gpu = catalogGpus.computeIfAbsent(row.system(), this::catalogGpu);
        if (gpu.isEmpty()) {
            return new Skip(row, model, null, "unknown GPU '" + row.system() + "'");
        }
        String precision = deploymentPrecision(row.precision());
        if (precision == null) {
            return new Skip(row, model, gpu, "precision " + row.precision() + " not supported");
        }
        String inexpressible = disaggregated ? inexpressiblePools(row.pools()) : row.attentionDp() > 1
                ? "attention data parallelism (attention_dp_size " + row.attentionDp() + ") is not modelled" : null;
        if (inexpressible != null) {
            return new Skip(row, model, gpu, inexpressible);
        }
        ObjectNode tree = scenarioTree(row, model, gpu, precision);
        Scenario scenario;
        try {
            scenario = Scenario.fromTree(tree);
        } catch (ConfigException e) {
            return new Skip(row, model, gpu, "cannot be deployed: " + e.getMessage());
        }
        List<DeploymentConfig> hardware = scenario.hardware();
        List<Deployment> deployments = new ArrayList<>(hardware.size());
        for (int i = 0; i < hardware.size(); i++) {
            String where = disaggregated ? " (" + POOL_NAMES.get(i) + " pool)" : "";
            Deployment deployment;
            try {
                deployment = hardware.get(i).resolve(catalog);
            } catch (ConfigException e) {
                return new Skip(row, model, gpu, "cannot be deployed" + where + ": " + e.getMessage());
            }
            if (deployment.memoryFit() instanceof MemoryFit.DoesNotFit misfit) {
                return new Skip(row, model, gpu, "does not fit in memory" + where + ": " + misfit.describe());
            }
            long requestTokens = (long) row.promptTokens() + row.outputTokens();
            if (requestTokens > deployment.model().maxContextTokens()) {
                return new Skip(row, model, gpu, "input + output (" + requestTokens + " tokens) exceed the context"
                        + " window of " + model + " (" + deployment.model().maxContextTokens() + ")");
            }
            long kvTokens = deployment.memoryFit().orThrow().tokens();
            if (requestTokens > kvTokens) {
                return new Skip(row, model, gpu, "does not fit in memory" + where + ": one request of " + requestTokens
                        + " tokens needs more KV cache than the replica's " + kvTokens + " tokens");
            }
            deployments.add(deployment);
        }
        if (!(row.load() instanceof ClosedLoop closed) || clientStart == ClientStart.TOGETHER || servesUnmixed(row)) {
            return new Replay(row, model, gpu, scenario, null, 1);
        }
        Scenario firstRound = null;
        if (clientStart == ClientStart.BENCHMARK) {
            ObjectNode first = tree.deepCopy();
            ((ObjectNode) first.get("workload")).put("requests", closed.clients());
            ((ObjectNode) first.get("metrics")).put("warmup_fraction", 0.0);
            firstRound = Scenario.fromTree(first);
        }
        double cycle;
        if (disaggregated) {
            cycle = disaggregatedCycleSeconds(deployments.get(0), deployments.get(1), row, closed.clients());
        } else {
            cycle = cycleSeconds(deployments.get(0), row, closed.clients()) + frontEndMs(row) / 1e3;
        }
        ((ObjectNode) tree.get("workload").get("profiles").get(0).get("arrival")).put("ramp_up_seconds", cycle);
        return new Replay(row, model, gpu, Scenario.fromTree(tree), firstRound,
                firstRound == null ? 1 : BENCHMARK_ROUNDS);
    }

    /**
     * Whether the row's engine runs unmixed batches: an aggregated SGLang row (SGLang's {@code enable_mixed_chunk} is
     * off by default; a disaggregated worker never mixes). Its benchmark's clients, started together, are all
     * prefilled before any decodes again and finish together, every round: the row replays as the lockstep run.
     */
    static boolean servesUnmixed(BenchmarkRow row) {
        return row.backend().equals(SGLANG) && row.pools() == null;
    }

    /**
     * SGLang's {@code chunked_prefill_size} on a GPU of {@code hbmGiB} (its server default): 8,192 tokens under
     * 160 GiB (H100, H200), 16,384 above (B200). It bounds the prompt tokens of one prefill batch.
     */
    static int sglangChunkTokens(double hbmGiB) {
        return hbmGiB < 160 ? 8192 : 16384;
    }

    /**
     * One request's cycle with {@code clients} clients in the steady state, estimated from the step-time model: every
     * cycle each client's prompt is prefilled once and its (output − 1) later tokens take one decode iteration each,
     * and the clients share those iterations. So the cycle is (output − 1) decode iterations of all the clients'
     * sequences at the mean context input + output / 2, plus, for each of the clients' prefills, what its prompt adds
     * to the iteration it joins. Leaving the prefills out (as if each ran alone, once) underestimates the cycle by up
     * to half when outputs are short: 1.8 s instead of 3.4 s for 64 clients of 1,024 + 128 tokens on Qwen3-32B, TP 4,
     * H100; clients spread over that shorter ramp collide, and the simulation keeps them in convoys.
     */
    static double cycleSeconds(Deployment deployment, BenchmarkRow row, int clients) {
        StepTimeModel model = deployment.stepTimeModel(0);
        long context = (long) clients * (row.promptTokens() + row.outputTokens() / 2);
        double decode = model.iterationSeconds(new BatchShape().setDecode(clients, context));
        double withPrefill = model.iterationSeconds(new BatchShape().addPrefillChunk(row.promptTokens(), 0)
                .setDecode(clients, context));
        return (row.outputTokens() - 1) * decode + clients * (withPrefill - decode);
    }

    /**
     * Why a disaggregated row's pools cannot be expressed, or null when they can: both pools' worker counts and the
     * decode batch must be recorded, and neither pool may use attention data parallelism.
     */
    private static String inexpressiblePools(BenchmarkRow.DisaggregatedPools pools) {
        if (pools.prefill().workers() == 0 || pools.decode().workers() == 0 || pools.decode().batch() == 0) {
            return "disaggregated row without its worker counts (prefill_num_workers, decode_num_workers and"
                    + " decode_batch_size empty)";
        }
        for (int i = 0; i < POOL_NAMES.size(); i++) {
            BenchmarkRow.PoolSizes sizes = i == 0 ? pools.prefill() : pools.decode();
            if (sizes.attentionDp() > 1) {
                return "attention data parallelism (" + POOL_NAMES.get(i) + "_attention_dp_size " + sizes.attentionDp()
                        + ") is not modelled";
            }
        }
        return null;
    }

    /**
     * One request's cycle in a disaggregated deployment of the row's pools, estimated from the step-time models: its
     * prompt prefilled alone on {@code prefillOn} (a prefill worker's batches hold no decodes), then (output − 1)
     * decode iterations of one decode worker's share of the clients at the mean context input + output / 2 on
     * {@code decodeOn} — or, when the prefill workers cannot keep up with that, the time they need for every client's
     * prompt once (clients / prefill workers prefills, one after the other).
     */
    static double disaggregatedCycleSeconds(Deployment prefillOn, Deployment decodeOn, BenchmarkRow row, int clients) {
        int sequences = (clients + row.pools().decode().workers() - 1) / row.pools().decode().workers();
        double prefill = prefillOn.stepTimeModel(0).iterationSeconds(
                new BatchShape().addPrefillChunk(row.promptTokens(), 0));
        long context = (long) sequences * (row.promptTokens() + row.outputTokens() / 2);
        double decode = decodeOn.stepTimeModel(0).iterationSeconds(new BatchShape().setDecode(sequences, context));
        double prefills = Math.ceil((double) clients / row.pools().prefill().workers()) * prefill;
        return Math.max(prefill + (row.outputTokens() - 1) * decode, prefills);
    }

    /** The catalog's name of a file's model, or "" when the catalog does not know it. */
    private String catalogModel(String fileModel) {
        try {
            return catalog.model(CatalogNames.model(fileModel)).name();
        } catch (ConfigException e) {
            return "";
        }
    }

    /** The catalog's name of a file's GPU, or "" when the catalog does not know it. */
    private String catalogGpu(String fileSystem) {
        try {
            return catalog.gpu(CatalogNames.gpu(fileSystem)).name();
        } catch (ConfigException e) {
            return "";
        }
    }

    /** The scenario as a configuration file would give it (so it validates exactly like one). */
    private ObjectNode scenarioTree(BenchmarkRow row, String model, String gpu, String precision) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("seed", seed + row.line());
        ObjectNode deployment = root.putObject("deployment");
        deployment.put("model", model);
        deployment.put("gpu", gpu);
        deployment.put("tp", row.tp());
        deployment.put("pp", row.pp());
        deployment.put("replicas", 1);
        if (row.moeEp() > 1) {
            deployment.put("ep", row.moeEp()); // the deployment checks that the model has experts and ep divides tp
        }
        if (catalogFile != null) {
            deployment.put("catalog", catalogFile.toString());
        }
        if (!precision.equals("bf16")) {
            deployment.put("precision", precision); // bf16 is the catalog's own precision
        }
        int clients = row.load() instanceof ClosedLoop closed ? closed.clients() : 0;
        BenchmarkRow.EngineFlags flags = row.engine();
        boolean unmixed = servesUnmixed(row);
        int budget = flags.maxNumBatchedTokens() != null ? flags.maxNumBatchedTokens()
                : unmixed ? sglangChunkTokens(catalog.gpu(gpu).hbmGiB()) : DEFAULT_MAX_NUM_BATCHED_TOKENS;
        boolean chunked = flags.chunkedPrefill() == null || flags.chunkedPrefill();
        if (row.pools() == null) {
            ObjectNode engine = root.putObject("engine");
            engine(engine, flags.maxNumSeqs() != null ? flags.maxNumSeqs()
                    : Math.max(DEFAULT_MAX_NUM_SEQS, clients), budget, chunked);
            if (unmixed) {
                engine.put("mixed_batches", false);
            }
            double frontEndMs = frontEndMs(row);
            if (frontEndMs > 0) {
                engine.put("front_end_ms", frontEndMs);
            }
            root.putObject("scheduler").put("type", "continuous");
        } else {
            ObjectNode pools = root.putObject("pools");
            for (int i = 0; i < POOL_NAMES.size(); i++) {
                BenchmarkRow.PoolSizes sizes = i == 0 ? row.pools().prefill() : row.pools().decode();
                ObjectNode pool = pools.putObject(POOL_NAMES.get(i));
                pool.put("gpu", gpu);
                pool.put("tp", sizes.tp());
                pool.put("pp", sizes.pp());
                if (sizes.moeEp() > 1) {
                    pool.put("ep", sizes.moeEp());
                }
                pool.put("replicas", sizes.workers());
                // a worker's batch limit is the row's batch size; a prefill pool that records none batches as vLLM
                engine(pool.putObject("engine"), sizes.batch() > 0 ? sizes.batch() : DEFAULT_MAX_NUM_SEQS, budget,
                        chunked);
                pool.putObject("scheduler").put("type", "continuous");
                pool.putObject("router").put("type", "least_loaded");
            }
        }
        ObjectNode workload = root.putObject("workload");
        workload.put("name", "replay-line-" + row.line());
        ObjectNode profile = workload.putArray("profiles").addObject();
        profile.put("name", "benchmark");
        ObjectNode arrival = profile.putObject("arrival");
        double excluded;
        if (row.load() instanceof ClosedLoop closed) {
            workload.put("requests", (long) CLOSED_LOOP_ROUNDS * closed.clients());
            arrival.put("type", "closed_loop");
            arrival.put("concurrency", closed.clients());
            excluded = 1.0 / CLOSED_LOOP_ROUNDS;
        } else {
            OpenLoop open = (OpenLoop) row.load();
            workload.put("requests", open.requests());
            profile.put("rate_per_second", open.ratePerSecond());
            arrival.put("type", open.poisson() ? "poisson" : "constant");
            excluded = OPEN_LOOP_EXCLUDED_FRACTION;
        }
        profile.putObject("prompt").put("type", "fixed").put("value", row.promptTokens());
        profile.putObject("output").put("type", "fixed").put("value", row.outputTokens());
        root.putObject("metrics").put("warmup_fraction", excluded);
        return root;
    }

    /** The row's front end, ms: the one the file records for it ({@code front_end_ms}), else its campaign's. */
    private double frontEndMs(BenchmarkRow row) {
        Double recorded = row.engine().frontEndMs();
        return recorded != null ? recorded : frontEnds.frontEndMs(row);
    }

    private static void engine(ObjectNode engine, int maxNumSeqs, int budget, boolean chunkedPrefill) {
        engine.put("max_num_seqs", maxNumSeqs);
        engine.put("max_num_batched_tokens", budget);
        engine.put("chunked_prefill", chunkedPrefill);
        engine.put("prefill_chunk_tokens", budget);
    }

    /**
     * A row's group key for the per-model×system summary: {@code Qwen3-32B on H100-SXM}, and for a disaggregated row
     * {@code DeepSeek-V3 on H200 (disagg)}, so the two kinds of deployment are summarised apart.
     */
    static String modelOnGpu(String model, String gpu, String mode) {
        return String.format(Locale.ROOT, "%s on %s%s", model, gpu, mode.equals("disagg") ? " (disagg)" : "");
    }
}
