package io.servesim.analysis;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The column names of result CSVs and per-request files, as documented in
 * {@code docs/results-schema.md}. Only the columns the analysis reads are named here; any other
 * column of a results file is ignored, so older and newer folders can both be read.
 */
public final class ResultsSchema {

    public static final String STEP = "step";
    public static final String CELL_ID = "cell_id";
    public static final String CONFIG_LABEL = "config_label";
    public static final String SCHEDULER = "scheduler";
    public static final String GPUS = "gpus";
    public static final String K_BINS = "k_bins";
    public static final String REQUESTS = "requests";
    public static final String REPLICATION = "replication";
    public static final String THROUGHPUT_RPS = "throughput_rps";
    public static final String SATURATED = "saturated";
    public static final String OVERLOAD_RATIO = "overload_ratio";
    public static final String GOODPUT_RPS = "goodput_rps";
    public static final String CAPACITY_RPS_UNDER_SLA = "capacity_rps_under_sla";
    public static final String TTFT_P50_S = "ttft_p50_s";
    public static final String TTFT_P95_S = "ttft_p95_s";
    public static final String TTFT_P99_S = "ttft_p99_s";
    public static final String E2E_P50_S = "e2e_p50_s";
    public static final String E2E_P95_S = "e2e_p95_s";
    public static final String E2E_P99_S = "e2e_p99_s";
    public static final String SLA_TTFT_S = "sla_ttft_s";
    public static final String SLA_TPOT_S = "sla_tpot_s";
    public static final String SLA_NORM_LATENCY_S_PER_TOKEN = "sla_norm_latency_s_per_token";
    public static final String SLA_REQUEST_VIOLATION_RATE = "sla_request_violation_rate";
    public static final String SLA_NORM_VIOLATION_RATE = "sla_norm_violation_rate";
    public static final String GPU_UTIL_MEAN = "gpu_util_mean";
    public static final String GPU_UTIL_MIN = "gpu_util_min";
    public static final String GPU_UTIL_MAX = "gpu_util_max";
    public static final String MODEL = "model";
    public static final String GPU_TYPE = "gpu_type";
    public static final String ROUTER = "router";
    public static final String TP = "tp";
    public static final String PP = "pp";
    public static final String RPS_SCALE = "rps_scale";
    public static final String OFFERED_RPS = "offered_rps";
    public static final String ACHIEVED_RPS = "achieved_rps";
    public static final String QUEUE_TREND_FRACTION = "queue_trend_fraction";
    public static final String QUEUE_LEN_AT_MID_ARRIVAL = "queue_len_at_mid_arrival";
    public static final String QUEUE_LEN_AT_LAST_ARRIVAL = "queue_len_at_last_arrival";
    public static final String QUEUE_DELAY_P95_S = "queue_delay_p95_s";
    public static final String GOODPUT_FRACTION = "goodput_fraction";
    public static final String MEAN_BATCH_SIZE = "mean_batch_size";
    public static final String KV_USAGE_MEAN = "kv_usage_mean";
    public static final String KV_USAGE_PEAK = "kv_usage_peak";

    /** Added by the loader: {@code cell_id} without its {@code -r<replication>} suffix. */
    public static final String CONFIG_KEY = "config_key";

    /** Columns without which no finding can be computed; a file lacking one is rejected. */
    public static final List<String> REQUIRED = List.of(
            STEP, CELL_ID, CONFIG_LABEL, SCHEDULER, GPUS, REQUESTS, THROUGHPUT_RPS, SATURATED,
            GOODPUT_RPS, TTFT_P50_S, TTFT_P95_S, TTFT_P99_S, E2E_P50_S, E2E_P95_S, E2E_P99_S);

    /** Columns read when present; when absent they are treated as empty. */
    public static final List<String> OPTIONAL_NUMERIC = List.of(
            K_BINS, REPLICATION, OVERLOAD_RATIO, CAPACITY_RPS_UNDER_SLA, SLA_TTFT_S, SLA_TPOT_S,
            SLA_NORM_LATENCY_S_PER_TOKEN, SLA_REQUEST_VIOLATION_RATE, SLA_NORM_VIOLATION_RATE,
            GPU_UTIL_MEAN, GPU_UTIL_MIN, GPU_UTIL_MAX, TP, PP, RPS_SCALE, OFFERED_RPS, ACHIEVED_RPS,
            QUEUE_TREND_FRACTION, QUEUE_LEN_AT_MID_ARRIVAL, QUEUE_LEN_AT_LAST_ARRIVAL, QUEUE_DELAY_P95_S,
            GOODPUT_FRACTION, MEAN_BATCH_SIZE, KV_USAGE_MEAN, KV_USAGE_PEAK);

    /** Text columns read when present (what was simulated); when absent they are empty. */
    public static final List<String> OPTIONAL_TEXT = List.of(MODEL, GPU_TYPE, ROUTER);

    /** Columns read as text; {@code saturated} is parsed from {@code true}/{@code false}. */
    public static final Set<String> TEXT = Set.of(STEP, CELL_ID, CONFIG_LABEL, SCHEDULER, SATURATED, MODEL, GPU_TYPE,
            ROUTER);

    /** The run's configuration, written next to the result CSVs (read when present). */
    public static final String CONFIG_JSON = "config.json";
    /**
     * Result files: {@code <name>_results.csv} or {@code <name>_results_<part>.csv}, but not a plan's per-cell timings
     * ({@code <prefix>_timings.csv}, which for a prefix ending in {@code _results} would otherwise look like a part).
     */
    public static final Pattern RESULT_FILE = Pattern.compile("(?!.*_timings\\.csv$).+_results(_.+)?\\.csv");

    /** Stress-plan step names. */
    public static final String STEP_REQUEST_SCALING = "step1_request_scaling";
    public static final String STEP_GPU_SCALING = "step2_gpu_scaling";
    public static final String STEP_KBINS_SENSITIVITY = "step3_kbins_sensitivity";

    /** File-name prefix of the 3-step stress plan. */
    public static final String STRESS_PREFIX = "comprehensive_stress_results";

    /** Per-request files: {@code requests/<cell_id>.csv.gz}. */
    public static final String REQUESTS_FOLDER = "requests";
    public static final String REQUEST_OUTCOME = "outcome";
    public static final String REQUEST_TTFT_S = "ttft_s";
    public static final String REQUEST_E2E_S = "e2e_s";
    public static final String OUTCOME_COMPLETED = "COMPLETED";
    public static final List<String> REQUEST_REQUIRED = List.of(REQUEST_OUTCOME, REQUEST_TTFT_S, REQUEST_E2E_S);

    private ResultsSchema() {
    }
}
