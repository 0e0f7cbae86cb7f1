package io.servesim.experiments.capacity;

import io.servesim.core.workload.ProfileInfo;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.experiments.output.StrictJson;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a capacity search, each written atomically: {@code capacity.json} (the answer, the SLA used, the
 * search settings and every probe) and {@code capacity_probes.csv} (one row per probe).
 */
public final class CapacityReport {
    public static final String JSON_FILE = "capacity.json";
    public static final String PROBES_FILE = "capacity_probes.csv";
    static final String[] PROBE_HEADER = {"probe", "phase", "rps_scale", "rate_rps", "measured_offered_rps",
        "achieved_rps", "goodput_fraction", "sla_request_violation_rate", "sla_norm_violation_rate", "ttft_p95_s",
        "saturated", "passed"};

    private CapacityReport() {
    }

    /** Writes both files into {@code dir}; {@code scenario} is the effective scenario, as a JSON-ready value. */
    public static void write(Path dir, Object scenario, CapacityResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", result.status().name());
        json.put("capacity_rps_under_sla", result.capacityRps());
        json.put("capacity_rps_scale", result.capacityRpsScale());
        json.put("capacity_rps_per_gpu", result.capacityRpsPerGpu());
        json.put("lowest_failing_rps", result.lowestFailingRps());
        json.put("gpus", result.gpus());
        json.put("target_goodput_fraction", result.targetGoodputFraction());
        json.put("relative_tolerance", result.relativeTolerance());
        json.put("requests_per_probe", result.requestsPerProbe());
        json.put("seed", result.seed());
        json.put("sla", slas(result.slas()));
        json.put("probes", result.probes());
        json.put("scenario", scenario);
        StrictJson.write(dir.resolve(JSON_FILE), json);
        AtomicFiles.write(dir.resolve(PROBES_FILE), out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (CSVPrinter csv = new CSVPrinter(writer,
                    CSVFormat.DEFAULT.builder().setHeader(PROBE_HEADER).setRecordSeparator("\n").get())) {
                for (CapacityProbe p : result.probes()) {
                    csv.printRecord(p.index(), p.phase(), p.rpsScale(), p.rateRps(), p.measuredOfferedRps(),
                            p.achievedRps(), p.goodputFraction(), p.slaRequestViolationRate(), p.slaNormViolationRate(),
                            p.ttftP95Seconds(), p.saturated(), p.passed());
                }
            }
        });
    }

    /** The SLA of each profile as JSON-ready rows: profile, ttft_s, tpot_s, norm_latency_s_per_token. */
    public static List<Map<String, Object>> slas(List<ProfileInfo> profiles) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ProfileInfo p : profiles) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("profile", p.name());
            row.put("ttft_s", p.sla().ttftSeconds());
            row.put("tpot_s", p.sla().tpotSeconds());
            row.put("norm_latency_s_per_token", p.sla().normalizedLatencySecondsPerToken());
            rows.add(row);
        }
        return rows;
    }
}
