package io.servesim.experiments.validation.replay;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One measured benchmark run as a file gives it, whatever ServeSim can make of it.
 *
 * @param line         the file line of the row (the header is line 1)
 * @param id           the file's id of the row, or {@code line <n>} when it has none
 * @param backend      serving engine ({@code vllm}, {@code sglang}, {@code trtllm}, …), lower case; may be empty
 * @param model        the model as the file names it ({@code meta-llama/Llama-3.1-8B-Instruct})
 * @param system       the GPU as the file names it ({@code h100_sxm})
 * @param precision    weights and KV precision as the file gives it, lower case; empty means bf16/fp16
 * @param mode         {@code agg} (prefill and decode on the same engines) or {@code disagg}
 * @param tp           tensor-parallel degree
 * @param pp           pipeline-parallel degree
 * @param attentionDp  attention data-parallel degree (1: none)
 * @param moeEp        MoE expert-parallel degree (1: none)
 * @param load         the load the benchmark applied
 * @param promptTokens tokens of every prompt (the benchmark's input length)
 * @param outputTokens tokens of every answer (the benchmark's output length)
 * @param engine       the engine flags the file records (each may be absent)
 * @param measured     the measured latencies present in the row, in milliseconds
 * @param pools        a disaggregated row's prefill and decode pools; null for an aggregated row
 * @param backendVersion the serving engine's version as the file gives it ({@code 0.12.0}); empty when not recorded
 * @param source       the measurement's source as the file records it: for the silicon sample the collection its
 *                     {@code silicon_data_source} names ({@link BenchmarkFile#collection}); empty when not recorded
 */
public record BenchmarkRow(int line, String id, String backend, String model, String system, String precision,
                           String mode, int tp, int pp, int attentionDp, int moeEp, Load load, int promptTokens,
                           int outputTokens, EngineFlags engine, Map<ServingMetric, Double> measured,
                           DisaggregatedPools pools, String backendVersion, String source) {

    public BenchmarkRow {
        EnumMap<ServingMetric, Double> copy = new EnumMap<>(ServingMetric.class);
        copy.putAll(measured);
        measured = Collections.unmodifiableMap(copy);
        source = source == null ? "" : source;
    }

    /** A row whose source is not recorded. */
    public BenchmarkRow(int line, String id, String backend, String model, String system, String precision,
                        String mode, int tp, int pp, int attentionDp, int moeEp, Load load, int promptTokens,
                        int outputTokens, EngineFlags engine, Map<ServingMetric, Double> measured,
                        DisaggregatedPools pools, String backendVersion) {
        this(line, id, backend, model, system, precision, mode, tp, pp, attentionDp, moeEp, load, promptTokens,
                outputTokens, engine, measured, pools, backendVersion, "");
    }

    /** A row whose engine version is not recorded. */
    public BenchmarkRow(int line, String id, String backend, String model, String system, String precision,
                        String mode, int tp, int pp, int attentionDp, int moeEp, Load load, int promptTokens,
                        int outputTokens, EngineFlags engine, Map<ServingMetric, Double> measured,
                        DisaggregatedPools pools) {
        this(line, id, backend, model, system, precision, mode, tp, pp, attentionDp, moeEp, load, promptTokens,
                outputTokens, engine, measured, pools, "");
    }

    /** An aggregated row (no pools). */
    public BenchmarkRow(int line, String id, String backend, String model, String system, String precision,
                        String mode, int tp, int pp, int attentionDp, int moeEp, Load load, int promptTokens,
                        int outputTokens, EngineFlags engine, Map<ServingMetric, Double> measured) {
        this(line, id, backend, model, system, precision, mode, tp, pp, attentionDp, moeEp, load, promptTokens,
                outputTokens, engine, measured, null);
    }

    /**
     * One pool of a disaggregated row, as the silicon sample's {@code prefill_*} or {@code decode_*} columns give it.
     *
     * @param workers     engines (workers) of the pool; 0 when the row does not record them
     * @param tp          tensor-parallel degree of each worker
     * @param pp          pipeline-parallel degree of each worker
     * @param attentionDp attention data-parallel degree of each worker (1: none)
     * @param moeEp       MoE expert-parallel degree of each worker (1: none)
     * @param batch       the largest batch of each worker (its {@code max_num_seqs}); 0 when not recorded
     */
    public record PoolSizes(int workers, int tp, int pp, int attentionDp, int moeEp, int batch) {
    }

    /**
     * The prefill and decode pools of a disaggregated row. Its clients number decode batch × decode workers ×
     * decode attention-DP ranks: the silicon sample's {@code silicon_concurrency}, wherever it records one.
     */
    public record DisaggregatedPools(PoolSizes prefill, PoolSizes decode) {
        /** The row's concurrent clients, or 0 when the decode pool's workers or batch are not recorded. */
        public int clients() {
            return decode.workers() * decode.batch() * decode.attentionDp();
        }
    }

    /** How the benchmark loaded the server. */
    public sealed interface Load permits ClosedLoop, OpenLoop {
        /** A short description for tables: {@code 64 clients} or {@code 2.5 req/s poisson}. */
        String describe();
    }

    /**
     * {@code clients} concurrent clients, each sending its next request when the previous one is answered; 0 when the
     * file does not say (disaggregated rows give their sizes per pool).
     */
    public record ClosedLoop(int clients) implements Load {
        @Override
        public String describe() {
            return clients + " clients";
        }
    }

    /**
     * Requests at {@code ratePerSecond}, Poisson or evenly spaced, whatever the answers.
     *
     * @param requests requests of the simulated run
     */
    public record OpenLoop(double ratePerSecond, boolean poisson, int requests) implements Load {
        @Override
        public String describe() {
            return ratePerSecond + " req/s " + (poisson ? "poisson" : "constant");
        }
    }

    /** Engine flags a file records; null where it records none (the replay's defaults apply). */
    public record EngineFlags(Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean chunkedPrefill,
                              Double frontEndMs) {
        public static final EngineFlags NONE = new EngineFlags(null, null, null, null);
    }
}
